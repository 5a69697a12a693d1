/* The call board: shows each call at the top, blinking, and speaks it in Chinese. */
(function () {
  "use strict";
  var body = document.body;
  var list = document.getElementById("calls");
  var shown = parseInt(body.getAttribute("data-shown"), 10) || 10;
  var template = body.getAttribute("data-speech") || "请{number}号到{window}号窗口";
  var status = document.getElementById("board-status");
  var sound = document.getElementById("board-sound");

  function speak(call) {
    if (!("speechSynthesis" in window)) return;
    var text = template.replace("{number}", call.display).replace("{window}", String(call.window));
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function show(call) {
    var empty = document.getElementById("board-empty");
    if (empty) empty.remove();
    Array.prototype.forEach.call(list.querySelectorAll("[data-display]"), function (item) {
      item.classList.remove("board__call--newest");
      if (item.getAttribute("data-display") === call.display) item.remove();
    });
    var item = document.createElement("li");
    item.className = "board__call board__call--newest";
    item.setAttribute("data-display", call.display);
    item.setAttribute("data-window", String(call.window));
    var number = document.createElement("span");
    number.className = "board__number";
    number.textContent = call.display;
    var arrow = document.createElement("span");
    arrow.className = "board__arrow";
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = "→";
    var windowBox = document.createElement("span");
    windowBox.className = "board__window";
    windowBox.textContent = String(call.window);
    var unit = document.createElement("small");
    unit.textContent = "号窗口";
    windowBox.appendChild(unit);
    item.appendChild(number);
    item.appendChild(arrow);
    item.appendChild(windowBox);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > shown) list.removeChild(list.lastChild);
  }

  if (sound) {
    sound.addEventListener("click", function () {
      // Browsers speak only after someone has touched the page once.
      if ("speechSynthesis" in window) window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
      sound.hidden = true;
    });
  }

  window.hallLive.connect(body.getAttribute("data-ws"), {
    open: function (again) {
      status.setAttribute("data-state", "live");
      status.textContent = "";
      if (again) window.hallLive.refresh("calls");
    },
    close: function () {
      status.setAttribute("data-state", "offline");
      status.textContent = "重新连接中… Reconnecting…";
    },
    message: function (data) {
      if (data.event !== "call") return;
      show(data);
      speak(data);
    },
  });
})();
