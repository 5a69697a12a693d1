/* The window console follows the centre's events: any change re-renders the console's
   live part from the server. */
(function () {
  "use strict";
  var shell = document.querySelector("[data-ws]");
  if (!shell) return;
  window.hallLive.connect(shell.getAttribute("data-ws"), {
    open: function (again) {
      window.hallLive.say("");
      if (again) window.hallLive.refresh("console-live");
    },
    close: function (code) {
      window.hallLive.say(code === 4403 ? "Live updates refused." : "Reconnecting…");
    },
    message: function () {
      window.hallLive.refresh("console-live");
    },
  });
})();
