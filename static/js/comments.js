// Comments on a post's page: the passages comments quote are highlighted in the post
// (<mark>), and "Quote the text selected in the post" fills the comment's quote field.
// The page works without this file: the quotes are shown with each comment.
(() => {
  // A quote is Markdown source; the post shows it rendered: drop the Markdown syntax and
  // citation markers, and compare with runs of whitespace as one space.
  const normalise = (text) => text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[\d+(?:\s*,\s*\d+)*\]/g, "")
    .replace(/^#+\s+/gm, "")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();

  // The post's text as one string (whitespace collapsed, footnote numbers left out),
  // with where each character came from.
  function textOf(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest("sup") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let text = "";
    const origin = [];
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.nodeValue.length; i += 1) {
        const ch = /\s/.test(node.nodeValue[i]) ? " " : node.nodeValue[i];
        if (ch === " " && (text === "" || text.endsWith(" "))) continue;
        text += ch;
        origin.push([node, i]);
      }
    }
    return { text, origin };
  }

  function highlight(root, quote) {
    const needle = normalise(quote);
    if (!needle) return;
    const { text, origin } = textOf(root);
    const at = text.indexOf(needle);
    if (at < 0) return;
    const pieces = new Map();
    for (let k = at; k < at + needle.length; k += 1) {
      const [node, i] = origin[k];
      const piece = pieces.get(node) || { start: i, end: i };
      piece.end = i;
      pieces.set(node, piece);
    }
    pieces.forEach((piece, node) => {
      const range = document.createRange();
      range.setStart(node, piece.start);
      range.setEnd(node, piece.end + 1);
      const mark = document.createElement("mark");
      mark.className = "comment-highlight";
      range.surroundContents(mark);
    });
  }

  function clear(root) {
    root.querySelectorAll("mark.comment-highlight").forEach((mark) => {
      mark.replaceWith(...mark.childNodes);
    });
    root.normalize();
  }

  function refresh() {
    const prose = document.querySelector("#post .prose");
    if (!prose) return;
    clear(prose);
    document.querySelectorAll("[data-highlight-quote]").forEach((item) => {
      highlight(prose, item.dataset.highlightQuote);
    });
    document.querySelectorAll("[data-quote-selection]").forEach((button) => { button.hidden = false; });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-quote-selection]");
    if (!button) return;
    const field = document.querySelector(button.dataset.quoteSelection);
    const selected = window.getSelection().toString().trim();
    if (field && selected) {
      field.value = selected;
      field.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id === "comments" || event.target.closest("#comments")) refresh();
  });
})();
