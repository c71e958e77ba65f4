// The password rules checklist ticks each rule as the person types (the list and the
// server's message work without this file).
(() => {
  function check(list, input) {
    for (const item of list.querySelectorAll("li[data-pattern]")) {
      const met = new RegExp(item.dataset.pattern).test(input.value);
      item.classList.toggle("met", met);
      item.classList.toggle("unmet", !met && input.value !== "");
      const state = item.querySelector(".rule-state");
      if (state) state.textContent = met ? " (done)" : " (not yet)";
    }
  }

  function wire(root) {
    for (const list of root.querySelectorAll("[data-password-rules]")) {
      const input = document.getElementById(list.dataset.passwordRules);
      if (!input || input.dataset.rulesWired) continue;
      input.dataset.rulesWired = "1";
      input.addEventListener("input", () => check(list, input));
    }
  }

  document.addEventListener("DOMContentLoaded", () => wire(document));
  document.addEventListener("htmx:afterSettle", () => wire(document));
})();
