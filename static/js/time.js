// Times in the reader's time zone. The server writes <time datetime="…Z" data-local>
// with the exact UTC time; here a recent one (within a week) reads as relative
// ("3 minutes ago", "yesterday") and an older one as the local date and time. The exact
// local time is always in the title, shown on hover.
(() => {
  const WEEK = 7 * 24 * 3600;
  const UNITS = [["day", 86400], ["hour", 3600], ["minute", 60]];
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const exactFormat = { dateStyle: "medium", timeStyle: "short" };

  function relativeText(seconds) {
    // seconds: positive in the past, negative in the future
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size) return relative.format(-Math.trunc(seconds / size), unit);
    }
    return relative.format(0, "second");
  }

  function localise(element) {
    const moment = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(moment.getTime())) return;
    const seconds = (Date.now() - moment.getTime()) / 1000;
    const exact = moment.toLocaleString(undefined, exactFormat);
    element.title = exact;
    if (Math.abs(seconds) < WEEK) {
      element.textContent = relativeText(seconds);
    } else if (element.dataset.local === "date") {
      element.textContent = moment.toLocaleDateString(undefined, { dateStyle: "medium" });
    } else {
      element.textContent = exact;
    }
  }

  function localiseAll(root) {
    root.querySelectorAll("time[data-local]").forEach(localise);
  }

  document.addEventListener("DOMContentLoaded", () => localiseAll(document));
  document.addEventListener("htmx:afterSettle", () => localiseAll(document));
  setInterval(() => localiseAll(document), 60_000);
})();
