/* On the brand's own site, next to the iframe snippet: makes each Ruche frame
   as tall as its content (the frame says how tall, see frame.js). */
(function () {
  "use strict";
  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "ruche:resize" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-ruche-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      // The message must come from the site the frame shows.
      if (new URL(frame.src, window.location.href).origin !== event.origin) return;
      frame.style.height = Math.max(200, Math.min(data.height, 20000)) + "px";
      return;
    }
  });
})();
