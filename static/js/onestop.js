/* onestop: small behaviours shared by every page. Pages work without this file; it only
   makes htmx failures visible instead of silent. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("messages");
    if (!region) {
      return;
    }
    var box = document.createElement("div");
    box.className = "message message--error";
    box.setAttribute("role", "alert");
    box.textContent = text;
    region.appendChild(box);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var fallback = document.documentElement.getAttribute("data-error-text") || "Error";
    var detail = "";
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/problem+json") === 0) {
      try {
        detail = JSON.parse(xhr.responseText).title || "";
      } catch (ignored) {
        detail = "";
      }
    }
    announce(detail ? fallback + " " + detail : fallback + " (" + xhr.status + ")");
  });

  document.addEventListener("htmx:sendError", function () {
    var text = document.documentElement.getAttribute("data-offline-text") || "Offline";
    announce(text);
  });
})();
