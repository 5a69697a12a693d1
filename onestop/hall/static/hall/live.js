/* The hall's live pages: one WebSocket that reconnects with backoff, and a refresh that
   fetches the page again and swaps one element, so what the server renders stays the one
   source of what a screen shows. */
(function () {
  "use strict";

  function socketUrl(path) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  // connect(path, {message, open, close}): reconnects after 1, 2, 4 ... 30 s (with jitter);
  // `open` gets `true` on a reconnect, when the page may have missed events.
  function connect(path, handlers) {
    var delay = 1000;
    var opened = false;
    function start() {
      var socket = new WebSocket(socketUrl(path));
      socket.onopen = function () {
        delay = 1000;
        if (handlers.open) handlers.open(opened);
        opened = true;
      };
      socket.onmessage = function (event) {
        var data;
        try {
          data = JSON.parse(event.data);
        } catch (ignored) {
          return;
        }
        handlers.message(data);
      };
      socket.onclose = function (event) {
        if (handlers.close) handlers.close(event.code);
        if (event.code === 4403 || event.code === 4404) return; // refused: retrying won't help
        var wait = delay + Math.random() * 500;
        delay = Math.min(delay * 2, 30000);
        setTimeout(start, wait);
      };
    }
    start();
  }

  // Fetch this page again and replace the element with id `id` by its new version. Waits
  // while someone is choosing in a form inside it.
  var pending = {};
  function refresh(id, done) {
    if (pending[id]) return;
    pending[id] = setTimeout(function run() {
      var current = document.getElementById(id);
      var active = document.activeElement;
      if (current && active && current.contains(active) && active.tagName === "SELECT") {
        pending[id] = setTimeout(run, 1500);
        return;
      }
      pending[id] = null;
      fetch(location.pathname + location.search, {
        headers: { "X-Requested-With": "live" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
          var now = document.getElementById(id);
          if (fresh && now) {
            now.replaceWith(fresh);
            if (window.htmx) window.htmx.process(fresh);
          }
          if (done) done();
        })
        .catch(function () {});
    }, 250);
  }

  function say(text) {
    var box = document.getElementById("live-status");
    if (box) box.textContent = text;
  }

  window.hallLive = { connect: connect, refresh: refresh, say: say };
})();
