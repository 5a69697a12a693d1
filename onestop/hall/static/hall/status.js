/* The phone status page follows its ticket and its queue, and re-renders from the server. */
(function () {
  "use strict";
  var box = document.getElementById("ticket-status");
  if (!box) return;
  window.hallLive.connect(box.getAttribute("data-ws"), {
    open: function (again) {
      if (again) window.hallLive.refresh("ticket-status");
    },
    message: function (data) {
      if (data.event === "ticket" && data.state === "called" && navigator.vibrate) {
        navigator.vibrate([300, 100, 300]);
      }
      window.hallLive.refresh("ticket-status");
    },
  });
})();
