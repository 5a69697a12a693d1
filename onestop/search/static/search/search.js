/* The search box's suggestions: arrow keys move through them, Enter opens the chosen one,
   Escape closes them. Without this file (or without htmx) the box is a plain search form. */
(function () {
  "use strict";

  var INPUT_ID = "service-q";
  var LIST_ID = "service-q-suggestions";

  function parts() {
    var input = document.getElementById(INPUT_ID);
    var list = document.getElementById(LIST_ID);
    return input && list ? { input: input, list: list } : null;
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function activate(box, index) {
    var all = options(box.list);
    all.forEach(function (option, n) {
      option.setAttribute("aria-selected", n === index ? "true" : "false");
    });
    if (index >= 0 && all[index]) {
      box.input.setAttribute("aria-activedescendant", all[index].id);
    } else {
      box.input.removeAttribute("aria-activedescendant");
    }
  }

  function close(box) {
    box.list.innerHTML = "";
    box.input.setAttribute("aria-expanded", "false");
    box.input.removeAttribute("aria-activedescendant");
  }

  function current(box) {
    var all = options(box.list);
    for (var n = 0; n < all.length; n += 1) {
      if (all[n].getAttribute("aria-selected") === "true") {
        return n;
      }
    }
    return -1;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = parts();
    if (!box || event.detail.target !== box.list) {
      return;
    }
    var open = options(box.list).length > 0 && box.input.value.trim() !== "";
    if (!open) {
      box.list.innerHTML = "";
    }
    box.input.setAttribute("aria-expanded", open ? "true" : "false");
    box.input.removeAttribute("aria-activedescendant");
  });

  document.addEventListener("keydown", function (event) {
    var box = parts();
    if (!box || event.target !== box.input) {
      return;
    }
    var all = options(box.list);
    if (!all.length) {
      return;
    }
    var index = current(box);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      activate(box, (index + 1) % all.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      activate(box, index <= 0 ? all.length - 1 : index - 1);
    } else if (event.key === "Enter" && index >= 0) {
      event.preventDefault();
      window.location.assign(all[index].getAttribute("href"));
    } else if (event.key === "Escape") {
      close(box);
    }
  });

  document.addEventListener("click", function (event) {
    var box = parts();
    if (box && !box.list.contains(event.target) && event.target !== box.input) {
      close(box);
    }
  });
})();
