/* The call board: shows each call in the 'now calling' box, blinking, moves the one before
   it to the earlier calls, and speaks it in Chinese. */
(function () {
  "use strict";
  var body = document.body;
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

  function row(tag, call) {
    var item = document.createElement(tag);
    item.className = "board__call";
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
    return item;
  }

  // The new call takes the "now calling" box (a live region: screen readers announce it
  // once); the call it replaces heads the list of earlier calls.
  function show(call) {
    var now = document.getElementById("board-now");
    var list = document.getElementById("calls");
      var before = now.querySelector("[data-display]");
    Array.prototype.forEach.call(list.querySelectorAll("[data-display]"), function (item) {
      if (item.getAttribute("data-display") === call.display) item.remove();
    });
    if (before && before.getAttribute("data-display") !== call.display) {
      list.insertBefore(
        row("li", {
          display: before.getAttribute("data-display"),
          window: before.getAttribute("data-window"),
        }),
        list.firstChild
      );
    }
    while (list.children.length > shown - 1) list.removeChild(list.lastChild);
    var current = row("p", call);
    current.classList.add("board__call--newest");
    current.setAttribute("aria-current", "true");
    var sentence = document.createElement("span");
    sentence.className = "board__sr";
    sentence.textContent = "请" + call.display + "号到" + call.window + "号窗口。";
    var english = document.createElement("span");
    english.lang = "en";
    english.textContent = "Number " + call.display + ", please go to window " + call.window + ".";
    sentence.appendChild(english);
    current.appendChild(sentence);
    now.replaceChildren(current);
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
      if (again) window.hallLive.refresh("board-live");
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
