/* Inside the frame: tell the page around it how tall the content is (it
   resizes the frame, see host.js), and sign in through a pop-up
   (accounts.views.embed): the frame makes a claim code, opens the sign-in in
   a pop-up with it, and asks for its session until the pop-up is done; then
   it reloads, signed in. */
(function () {
  "use strict";
  var last = 0;
  function sendHeight() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last && window.parent !== window) {
      last = height;
      // Only a height: nothing private, any parent may hear it.
      window.parent.postMessage({ type: "ruche:resize", height: height }, "*");
    }
  }
  if ("ResizeObserver" in window) {
    new ResizeObserver(sendHeight).observe(document.documentElement);
  }
  window.addEventListener("load", sendHeight);
  document.addEventListener("htmx:afterSettle", sendHeight);

  function newClaim() {
    var bytes = new Uint8Array(24);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  function askForSession(url, claim, deadline) {
    var body = new URLSearchParams({ claim: claim });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status === 200) {
        window.location.reload();
      } else if (response.status === 204 && Date.now() < deadline) {
        window.setTimeout(function () { askForSession(url, claim, deadline); }, 1000);
      }
    });
  }

  // The bar's button, and any link of the page to the sign-in (the
  // challenge's own "Sign in to take part"), sign in through the pop-up.
  document.addEventListener("click", function (event) {
    var button = document.querySelector("[data-embed-signin]");
    var link = event.target.closest("[data-embed-signin], a[href^='/accounts/login/']");
    if (!link || !button) return;
    event.preventDefault();
    var claim = newClaim();
    var url = button.href + (button.href.indexOf("?") < 0 ? "?" : "&") + "claim=" + claim;
    if (!window.open(url, "ruche-signin", "popup,width=480,height=720")) {
      window.open(url, "_blank"); // pop-ups blocked: a tab, then come back
    }
    askForSession(button.dataset.sessionUrl, claim, Date.now() + 10 * 60 * 1000);
  });
})();
