// The licence verification page (decision 0037):
// - a presentation link (#p=<SD-JWT>) is posted for checking; the fragment never reaches
//   a server log, and is dropped from the address once read;
// - where the browser has BarcodeDetector and a camera, a QR code is scanned and its text
//   checked; elsewhere the page keeps its upload, paste and identifier fields.
(function () {
  "use strict";
  var form = document.getElementById("verify-form");
  var field = document.getElementById("credential");
  if (!form || !field) return;

  function submitText(text) {
    field.value = text;
    var identifier = document.getElementById("identifier");
    if (identifier) identifier.value = "";
    form.submit();
  }

  var hash = window.location.hash;
  if (hash.indexOf("#p=") === 0 && hash.length > 3) {
    var text = decodeURIComponent(hash.slice(3));
    history.replaceState(null, "", window.location.pathname + window.location.search);
    submitText(text);
    return;
  }

  var panel = document.getElementById("scan");
  if (!panel || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var stream = null;
  var detector = null;

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) return;
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    panel.hidden = false;
  }).catch(function () {});

  function halt() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function look() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        halt();
        submitText(codes[0].rawValue);
      } else {
        window.requestAnimationFrame(look);
      }
    }).catch(function () { window.setTimeout(look, 250); });
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        stop.hidden = false;
        start.hidden = true;
        status.textContent = start.dataset.looking || "";
        return video.play();
      })
      .then(look)
      .catch(function () {
        halt();
        status.textContent = start.dataset.denied || "";
      });
  });
  stop.addEventListener("click", halt);
})();
