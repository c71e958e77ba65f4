// Small progressive enhancements; every page works without this file.
// Marks the page as enhanced: CSS then hides what only a page without JavaScript needs
// (.no-js-only, e.g. the Upload button of a form that sends itself).
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copyTarget);
  if (!field) return;
  const label = button.textContent;
  const done = () => { button.textContent = "Copied"; setTimeout(() => { button.textContent = label; }, 2000); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => { field.select(); document.execCommand("copy"); done(); });
  } else {
    field.select(); document.execCommand("copy"); done();
  }
});

// After htmx swaps in new content, move focus to the first invalid field so keyboard
// and screen-reader users land on the error.
document.addEventListener("htmx:afterSwap", (event) => {
  // event.target is the swapped-in element; detail.target may be the element it replaced.
  const invalid = event.target.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});

// The job page swaps its progress block every second; screen readers hear the current step
// through one live region outside it (#job-announcer), changed only when the step does.
document.addEventListener("htmx:afterSwap", () => {
  const block = document.getElementById("job-progress");
  const announcer = document.getElementById("job-announcer");
  if (!block || !announcer) return;
  const step = block.dataset.announce || "";
  if (step && announcer.textContent !== step) announcer.textContent = step;
});

// Sources: drag-and-drop onto the drop zone, a size check before sending, and the
// upload progress bar (htmx reports XHR upload progress).
function showUploadError(form, message) {
  const box = form.querySelector("#upload-error");
  if (!box) return;
  box.textContent = message;
  box.hidden = !message;
}

function oversizedFiles(form) {
  const limit = Number(form.dataset.maxBytes || 0);
  const input = form.querySelector("input[type=file]");
  return Array.from(input ? input.files : []).filter((file) => limit && file.size > limit);
}

document.addEventListener("htmx:confirm", (event) => {
  const form = event.target;
  if (form.id !== "upload-form") return;
  const tooBig = oversizedFiles(form);
  if (tooBig.length) {
    event.preventDefault();
    const mb = Math.round(Number(form.dataset.maxBytes) / 1048576);
    showUploadError(form, `${tooBig.map((f) => f.name).join(", ")}: larger than the ${mb} MB limit.`);
  } else {
    showUploadError(form, "");
  }
});

document.addEventListener("htmx:xhr:progress", (event) => {
  const bar = event.target.querySelector && event.target.querySelector("#upload-progress");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});

// "Uploading …" while the files are sent; once the list answers, its own "Reading …"
// line and each file's row take over.
function showUploadStatus(form, message) {
  const status = form.querySelector("#upload-status");
  if (status) status.textContent = message;
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.target;
  if (form.id !== "upload-form") return;
  const input = form.querySelector("input[type=file]");
  const files = Array.from(input ? input.files : []);
  const what = files.length === 1 ? files[0].name : `${files.length} files`;
  showUploadStatus(form, files.length ? `Uploading ${what}…` : "");
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target;
  if (form.id !== "upload-form") return;
  const bar = form.querySelector("#upload-progress");
  if (bar) { bar.hidden = true; bar.value = 0; }
  showUploadStatus(form, "");
});

// Choosing files sends them straight away (forms marked data-upload-on-choose).
document.addEventListener("change", (event) => {
  const input = event.target;
  const form = input.closest && input.closest("form[data-upload-on-choose]");
  if (form && input.type === "file" && input.files.length) form.requestSubmit();
});

// Forms marked data-reset-on-success are emptied once htmx has sent them successfully
// (an attribute, not hx-on: the Content-Security-Policy allows no inline script).
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target;
  if (form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful) {
    form.reset();
  }
});

document.addEventListener("dragover", (event) => {
  const zone = event.target.closest && event.target.closest("[data-dropzone]");
  if (!zone) return;
  event.preventDefault();
  zone.classList.add("dragging");
});

document.addEventListener("dragleave", (event) => {
  const zone = event.target.closest && event.target.closest("[data-dropzone]");
  if (zone) zone.classList.remove("dragging");
});

document.addEventListener("drop", (event) => {
  const zone = event.target.closest && event.target.closest("[data-dropzone]");
  if (!zone) return;
  event.preventDefault();
  zone.classList.remove("dragging");
  const form = zone.closest("form");
  const input = form.querySelector("input[type=file]");
  input.files = event.dataTransfer.files;
  form.requestSubmit();  // setting files fires no change event: sent once, here
});

// "New project" and the like: a link to a page of its own, opened as a dialog on this one
// (data-opens-dialog names the dialog); Cancel inside it (data-close-dialog) closes it.
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-opens-dialog]");
  const dialog = opener && document.getElementById(opener.dataset.opensDialog);
  if (dialog && dialog.showModal) {
    event.preventDefault();
    dialog.showModal();
    return;
  }
  const closer = event.target.closest("dialog [data-close-dialog]");
  if (closer) {
    event.preventDefault();
    closer.closest("dialog").close();
  }
});

// Name fields with a maximum length say how many characters are left (the server renders
// the count; this keeps it current as one types).
document.addEventListener("input", (event) => {
  const field = event.target;
  if (!field.id || !field.maxLength || field.maxLength < 0) return;
  const counter = document.querySelector(`[data-char-count="${field.id}"]`);
  if (!counter) return;
  const left = field.maxLength - field.value.length;
  counter.textContent = `${left} character${left === 1 ? "" : "s"} left`;
});

// A failed htmx request (413, 429, 500, network) says so instead of doing nothing. The
// error page's own sentence is shown when it has one ("Too many requests. Try again in 40
// seconds."), and a server error's reference (logged with the details) is passed on, so it
// can be quoted.
function errorPart(xhr, selector) {
  const type = xhr.getResponseHeader("Content-Type") || "";
  if (!type.startsWith("text/html")) return "";
  const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
  const element = page.querySelector(selector);
  return element ? element.textContent.trim() : "";
}

function failureMessage(xhr) {
  if (xhr.status === 413) return "That file is too large to upload.";
  const said = xhr.status < 500 ? errorPart(xhr, "[data-error-message]") : "";
  if (said) return said;
  const reference = errorPart(xhr, "[data-error-id]");
  return `Something went wrong (HTTP ${xhr.status}). Please try again.`
    + (reference ? ` Reference: ${reference}.` : "");
}

document.addEventListener("htmx:responseError", (event) => {
  const flashes = document.getElementById("flashes");
  if (!flashes) return;
  const flash = document.createElement("p");
  flash.className = "flash flash-error";
  flash.setAttribute("role", "alert");
  flash.textContent = failureMessage(event.detail.xhr);
  flashes.replaceChildren(flash);
});
document.addEventListener("htmx:sendError", () => {
  const flashes = document.getElementById("flashes");
  if (flashes) flashes.innerHTML = '<p class="flash flash-error" role="alert">The server could not be reached. Check your connection and try again.</p>';
});

// The post editor: a small Markdown toolbar (and Ctrl+B / Ctrl+I), and a selection in the
// text or the preview offered as the quote of a suggestion or a comment.
const MARKDOWN_WRAPS = { bold: ["**", "**"], italic: ["_", "_"], link: ["[", "](https://)"] };
const MARKDOWN_LINE_PREFIXES = { heading: "## ", list: "- ", numbered: "1. ", quote: "> " };

function editorText() { return document.querySelector(".editor-text"); }

function applyMarkdown(area, kind) {
  const start = area.selectionStart, end = area.selectionEnd, value = area.value;
  const selected = value.slice(start, end);
  let replacement;
  if (MARKDOWN_WRAPS[kind]) {
    const [before, after] = MARKDOWN_WRAPS[kind];
    replacement = before + (selected || (kind === "link" ? "link text" : "text")) + after;
  } else {
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    const block = value.slice(lineStart, end) || "";
    const prefixed = block.split("\n").map((line) => MARKDOWN_LINE_PREFIXES[kind] + line).join("\n");
    area.setRangeText(prefixed, lineStart, end, "select");
    area.dispatchEvent(new Event("input", { bubbles: true }));
    return;
  }
  area.setRangeText(replacement, start, end, "select");
  area.focus();
  area.dispatchEvent(new Event("input", { bubbles: true }));
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-md]");
  const area = editorText();
  if (button && area) applyMarkdown(area, button.dataset.md);
});

document.addEventListener("keydown", (event) => {
  if (!event.target.classList || !event.target.classList.contains("editor-text")) return;
  if (!(event.ctrlKey || event.metaKey)) return;
  const kind = { b: "bold", i: "italic" }[event.key.toLowerCase()];
  if (kind) { event.preventDefault(); applyMarkdown(event.target, kind); }
});

// A selection in the rendered preview, mapped back to the Markdown it came from: its words
// in order, with any Markdown syntax or citation markers between them.
function selectedPreviewText(selection) {
  const fragment = selection.getRangeAt(0).cloneContents();
  fragment.querySelectorAll("sup").forEach((sup) => sup.remove());
  return fragment.textContent;
}

function sourceSpanOf(text, markdown) {
  const words = text.split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!words.length) return null;
  const between = "(?:\\s|[*_`~>#]|\\[\\d+(?:,\\s*\\d+)*\\]|\\]\\([^)]*\\)|\\[)+";
  const pattern = new RegExp(words.join(between) + "(?:\\[\\d+(?:,\\s*\\d+)*\\])*", "g");
  const matches = [...markdown.matchAll(pattern)];
  return matches.length === 1 ? matches[0][0] : null;
}

document.addEventListener("mouseup", () => {
  const targets = document.querySelectorAll("[data-quote-target], #suggestion-quote");
  const area = editorText();
  if (!targets.length) return;
  let quote = "";
  if (area && document.activeElement === area && area.selectionEnd > area.selectionStart) {
    quote = area.value.slice(area.selectionStart, area.selectionEnd);
  } else {
    const selection = window.getSelection();
    const preview = document.querySelector("[data-preview-text]");
    if (!selection || selection.isCollapsed || !preview || !preview.contains(selection.anchorNode)) return;
    const text = selectedPreviewText(selection);
    quote = (area && sourceSpanOf(text, area.value)) || text.trim();
  }
  if (quote.trim()) targets.forEach((field) => { field.value = quote.trim(); });
});

// Accepting a suggestion names the version it was made from: the editor's autosave moves
// that on, so the accept form takes the editor's current version when it is sent.
document.addEventListener("submit", (event) => {
  const current = document.getElementById("item-version");
  if (!current || !event.target.closest("#suggestions")) return;
  event.target.querySelectorAll("input[name=item_version]").forEach((field) => { field.value = current.value; });
}, true);

// The generation form: the fields of the chosen workflow only. Parts marked
// data-workflows="a b" are shown and sent (a fieldset, so `disabled` covers its fields) only
// for the workflows they list; the server renders them so for the workflow it was given.
function showWorkflowFields(form) {
  const chosen = form.querySelector("input[name=workflow]:checked");
  if (!chosen) return;
  form.querySelectorAll("[data-workflows]").forEach((part) => {
    const shown = part.dataset.workflows.split(" ").includes(chosen.value);
    part.hidden = !shown;
    part.disabled = !shown;
  });
}

document.addEventListener("change", (event) => {
  const form = event.target.closest && event.target.closest("form[data-workflow-form]");
  if (form && event.target.name === "workflow") showWorkflowFields(form);
});
// A page restored from the history keeps the choice it had, not the one it was rendered with.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-workflow-form]").forEach(showWorkflowFields);
});
