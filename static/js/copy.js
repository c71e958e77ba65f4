// The post page's copy buttons. They are rendered hidden (without JavaScript there is
// nothing to press) and shown here. `data-copy-text`: the element whose text is put on the
// clipboard as plain text. `data-copy-rich` as well: a <template> of clean HTML, written
// with the plain text beside it, so that Google Docs, WordPress and Ghost paste formatted
// text and a plain editor plain text.
function revealCopyButtons() {
  document.querySelectorAll("[data-copy-text][hidden]").forEach((button) => { button.hidden = false; });
}

function copySource(selector) {
  const element = selector && document.querySelector(selector);
  if (!element) return "";
  if (element instanceof HTMLTemplateElement) return element.innerHTML.trim();
  return element instanceof HTMLTextAreaElement ? element.value : element.textContent;
}

// Without the asynchronous clipboard (no secure context, or it refused): the copy event.
function copyThroughEvent(parts) {
  const fill = (event) => {
    Object.entries(parts).forEach(([type, data]) => event.clipboardData.setData(type, data));
    event.preventDefault();
  };
  document.addEventListener("copy", fill);
  const copied = document.execCommand("copy");
  document.removeEventListener("copy", fill);
  return copied ? Promise.resolve() : Promise.reject(new Error("The browser refused to copy."));
}

function writeClipboard(parts) {
  const clipboard = window.isSecureContext ? navigator.clipboard : null;
  if (clipboard && parts["text/html"] && window.ClipboardItem) {
    const blobs = {};
    Object.entries(parts).forEach(([type, data]) => { blobs[type] = new Blob([data], { type }); });
    return clipboard.write([new ClipboardItem(blobs)]).catch(() => copyThroughEvent(parts));
  }
  if (clipboard && !parts["text/html"]) {
    return clipboard.writeText(parts["text/plain"]).catch(() => copyThroughEvent(parts));
  }
  return copyThroughEvent(parts);
}

function confirmCopy(button, copied) {
  const label = button.querySelector("[data-copy-label]");
  const status = document.getElementById("copy-status");
  if (!label.dataset.label) label.dataset.label = label.textContent;
  label.textContent = copied ? "Copied" : "Couldn't copy";
  if (status) status.textContent = copied ? button.dataset.copied || "Copied." : "Couldn't copy: select the text and copy it instead.";
  clearTimeout(button.copyTimer);
  button.copyTimer = setTimeout(() => { label.textContent = label.dataset.label; }, 2000);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-text]");
  if (!button) return;
  const parts = { "text/plain": copySource(button.dataset.copyText) };
  const html = copySource(button.dataset.copyRich);
  if (html) parts["text/html"] = html;
  writeClipboard(parts).then(() => confirmCopy(button, true), () => confirmCopy(button, false));
});

revealCopyButtons();
document.addEventListener("htmx:afterSwap", revealCopyButtons);
