/* The sign-in pop-up's last page: the embedded page that opened it is already
   asking for its session (accounts.views.embed); this window can go. */
(function () {
  "use strict";
  window.close();
})();
