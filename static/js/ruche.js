/* Ruche's small page helpers, on every page (templates/base.html).

   1. File pickers: each <input type="file"> gets a styled button and the name of
      the file chosen, in the page's language (texts from <body data-file-*>),
      instead of the browser's "Choose File / No file chosen". The input stays in
      place, transparent over the button, so clicks, the keyboard, screen readers
      and drag and drop reach it. Inputs already inside a .file-picker, or marked
      data-plain, are left alone.
   2. The service worker that shows the offline page (static/js/sw.js, served
      from /sw.js): it caches that page only, never a private page. */
(function () {
  "use strict";
  var root = document.body;  // the texts and settings are data-* attributes of <body>

  function describe(input, output) {
    var files = input.files ? Array.prototype.slice.call(input.files) : [];
    output.textContent = files.length
      ? files.map(function (file) { return file.name; }).join(", ")
      : root.dataset.fileNone || "";
  }

  function enhance(input) {
    if (input.dataset.plain !== undefined || input.closest(".file-picker")) return;
    var wrapper = document.createElement("span");
    wrapper.className = "file-picker";
    var button = document.createElement("span");
    button.className = "button button-secondary file-picker-button";
    button.setAttribute("aria-hidden", "true");
    button.textContent = input.multiple ? root.dataset.fileChooseMany : root.dataset.fileChoose;
    var output = document.createElement("span");
    output.className = "file-picker-name";
    output.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(button);
    wrapper.appendChild(output);
    describe(input, output);
    input.addEventListener("change", function () { describe(input, output); });
    if (input.form) input.form.addEventListener("reset", function () {
      window.setTimeout(function () { describe(input, output); });
    });
  }

  function enhanceAll(scope) {
    var inputs = (scope || document).querySelectorAll('input[type="file"]');
    Array.prototype.forEach.call(inputs, enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Parts htmx swaps in (a form shown again with its errors).
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });

  var worker = root.dataset.serviceWorker;
  if (worker && "serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(worker).catch(function () {});
    });
  }
})();
