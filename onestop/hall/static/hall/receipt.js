/* The kiosk prints the receipt as soon as it is shown, then goes back to the ticket. */
(function () {
  "use strict";
  if (document.body.getAttribute("data-autoprint") !== "true") return;
  window.addEventListener("afterprint", function () {
    history.back();
  });
  window.addEventListener("load", function () {
    window.print();
  });
})();
