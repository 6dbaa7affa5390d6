// Ideas' pages: the native share sheet, "copy the link" and click-to-load
// video embeds.
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

  // Where the browser has a share sheet (phones), one button opens it and the
  // row of links steps aside; elsewhere the links stay.
  function offerShareSheet(root) {
    if (!navigator.share) { return; }
    root.querySelectorAll(".share-native").forEach(function (button) {
      button.hidden = false;
      var links = button.parentNode.querySelector(".share-links");
      if (links) { links.hidden = true; }
    });
  }

  function shareSheet(button) {
    navigator.share({
      title: button.getAttribute("data-share-title") || document.title,
      url: button.getAttribute("data-share-url")
    }).catch(function () { /* closed without sharing */ });
  }

  offerShareSheet(document);
  document.addEventListener("htmx:load", function (event) { offerShareSheet(event.target); });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-copy], .video-load, .share-native");
    if (!target) { return; }
    if (target.hasAttribute("data-copy")) { copy(target); }
    else if (target.classList.contains("share-native")) { shareSheet(target); }
    else { loadEmbed(target); }
  });
})();
