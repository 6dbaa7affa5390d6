/* Countdowns on the challenge pages.

   <time class="countdown-value" datetime="2030-03-31T21:59:00+00:00" data-countdown
         data-unit-d="d" data-unit-h="h" data-unit-min="min" data-done="Closed">…</time>

   The server renders the deadline as text; this only turns it into
   "3 d 4 h 12 min" and keeps it up to date. No inline script (strict CSP). */
(function () {
  "use strict";

  function render(el) {
    var target = Date.parse(el.getAttribute("datetime"));
    if (isNaN(target)) { return false; }
    var units = {
      d: el.getAttribute("data-unit-d"),
      h: el.getAttribute("data-unit-h"),
      min: el.getAttribute("data-unit-min")
    };
    var left = Math.max(0, Math.floor((target - Date.now()) / 1000));
    if (left === 0) {
      el.textContent = el.getAttribute("data-done") || "0";
      return false;
    }
    var days = Math.floor(left / 86400);
    var hours = Math.floor((left % 86400) / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    var parts = [];
    if (days) { parts.push(days + "\u00a0" + (units.d || "d")); }
    if (days || hours) { parts.push(hours + "\u00a0" + (units.h || "h")); }
    parts.push(minutes + "\u00a0" + (units.min || "min"));
    el.textContent = parts.join(" ");
    return true;
  }

  function start() {
    var items = Array.prototype.slice.call(
      document.querySelectorAll("[data-countdown]:not([data-countdown-bound])")
    );
    if (!items.length) { return; }
    items.forEach(function (el) { el.setAttribute("data-countdown-bound", ""); });
    var tick = function () {
      items = items.filter(render);
      if (!items.length) { window.clearInterval(timer); }
    };
    var timer = window.setInterval(tick, 20000);
    tick();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Countdowns that htmx swaps in (the console's live preview).
  document.addEventListener("htmx:afterSettle", start);
})();
