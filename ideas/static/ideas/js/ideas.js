// Ideas' pages: "copy the link" and click-to-load video embeds.
// No inline script (strict CSP); no third-party request before a click.
(function () {
  "use strict";

  function copy(button) {
    var text = button.getAttribute("data-copy");
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("", text); });
    } else {
      window.prompt("", text);
    }
  }

  function loadEmbed(button) {
    var box = button.closest(".video-embed");
    if (!box) { return; }
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-embed") + "&autoplay=1";
    frame.title = box.getAttribute("data-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.loading = "lazy";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.replaceChildren(frame);
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-copy], .video-load");
    if (!target) { return; }
    if (target.hasAttribute("data-copy")) { copy(target); }
    else { loadEmbed(target); }
  });
})();
