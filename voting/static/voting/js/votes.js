// After a vote (or its withdrawal), the server says how many votes the person
// has left in the round (HX-Trigger "ruche:votes-left"): every other "Vote"
// button of that challenge on the page follows — disabled, saying so, once
// they are spent; back when a vote is withdrawn.
(function () {
  "use strict";
  if (window.rucheVotes) return;
  window.rucheVotes = true;
  document.body.addEventListener("ruche:votes-left", function (event) {
    var detail = event.detail || {};
    var spent = detail.left === 0;
    document.querySelectorAll('.vote[data-campaign="' + detail.campaign + '"] .vote-button').forEach(function (button) {
      button.disabled = spent;
      button.textContent = spent ? button.dataset.spentLabel : button.dataset.label;
    });
  });
})();
