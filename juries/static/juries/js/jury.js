// The jury's scoring page: keyboard scoring and the autosave's error line.
// No inline script (strict CSP). Keys, when no text field has the focus:
//   1–9   score the current criterion (0 stands for 10, or for 0 on a 0–n
//         scale), then move to the next criterion (after the last: the
//         "Submit" button)
//   n, p  next / previous idea
(function () {
  "use strict";

  // htmx does not swap 4xx answers by default: the autosave's "not saved,
  // because…" line must show all the same.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "save-status") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Videos hosted elsewhere load only when asked (no third-party request before).
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".jury-embed-load");
    if (!button) { return; }
    var box = button.closest(".jury-embed");
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-embed") + "&autoplay=1";
    frame.title = box.getAttribute("data-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.replaceChildren(frame);
  });

  var form = document.querySelector("[data-scoring]");
  if (!form) { return; }
  var criteria = Array.prototype.slice.call(form.querySelectorAll("[data-criterion]"));

  function current() {
    var focused = document.activeElement;
    var inside = focused && focused.closest ? focused.closest("[data-criterion]") : null;
    if (inside) { return inside; }
    for (var i = 0; i < criteria.length; i++) {
      if (!criteria[i].querySelector("input:checked")) { return criteria[i]; }
    }
    return criteria[0] || null;
  }

  function focusCriterion(criterion) {
    var input = criterion.querySelector("input:checked") || criterion.querySelector("input");
    if (input) { input.focus(); }
  }

  function choose(criterion, key) {
    var values = key === "0" ? ["10", "0"] : [key];
    for (var i = 0; i < values.length; i++) {
      var input = criterion.querySelector('input[type="radio"][value="' + values[i] + '"]');
      if (input && !input.disabled) {
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        return true;
      }
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target.matches && target.matches("textarea, select, input:not([type=radio]):not([type=checkbox])")) { return; }
    if (/^[0-9]$/.test(event.key)) {
      var criterion = current();
      if (!criterion || !choose(criterion, event.key)) { return; }
      event.preventDefault();
      var next = criteria[criteria.indexOf(criterion) + 1];
      if (next) {
        focusCriterion(next);
      } else {
        var submit = form.querySelector("[data-submit]");
        if (submit) { submit.focus(); }
      }
    } else if (event.key === "n" || event.key === "p") {
      var link = document.querySelector(event.key === "n" ? "a[rel=next]" : "a[rel=prev]");
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    }
  });
})();
