/* The kiosk's on-screen keypads: each types into its field (data-keypad-for), keeps to
   the field's maxlength, and says what the field now holds to screen readers. */
(function () {
  "use strict";
  var status = document.getElementById("keypad-status");
  Array.prototype.forEach.call(document.querySelectorAll("[data-keypad-for]"), function (pad) {
    var field = document.getElementById(pad.getAttribute("data-keypad-for"));
    if (!field) return;
    pad.hidden = false;
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) return;
      var value = field.value;
      var which = key.getAttribute("data-key");
      if (which === "back") value = value.slice(0, -1);
      else if (which === "clear") value = "";
      else if (!field.maxLength || field.maxLength < 0 || value.length < field.maxLength)
        value += which;
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      if (status) status.textContent = value.split("").join(" ");
    });
  });
})();
