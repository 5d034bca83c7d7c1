// "Quét mã": reads a barcode (EAN-13/8, UPC) or a stamp's QR code with the phone's camera
// into the box beside the button. The camera is asked for only when the button is pressed,
// and the decoder (ZXing, vendored in /static/zxing) is loaded only then too. Typing the
// code stays possible: the button shows only where the browser can use a camera.
(function () {
  "use strict";
  var FORMATS = ["EAN_13", "EAN_8", "UPC_A", "UPC_E", "QR_CODE"];
  var reader = null;
  var press = 0;  // each press of "Quét mã"; a stop makes an earlier press's camera start nothing

  function load(src) {
    if (window.ZXing) return Promise.resolve(window.ZXing);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(window.ZXing); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function stop(scanner) {
    press += 1;
    if (reader) reader.reset();
    reader = null;
    scanner.hidden = true;
  }

  function scanInto(button, scanner) {
    var input = document.getElementById(button.dataset.scanInto);
    var status = scanner.querySelector("[role=status]");
    var longest = parseInt(button.dataset.scanMax || "0", 10);
    var mine = ++press;
    button.parentNode.insertBefore(scanner, button.nextSibling);
    scanner.hidden = false;
    status.textContent = scanner.dataset.aim;
    load(scanner.dataset.library).then(function (ZXing) {
      if (mine !== press) return;  // stopped (or pressed again) while the decoder loaded
      var hints = new Map();
      hints.set(ZXing.DecodeHintType.POSSIBLE_FORMATS, FORMATS.map(function (name) {
        return ZXing.BarcodeFormat[name];
      }));
      if (reader) reader.reset();
      reader = new ZXing.BrowserMultiFormatReader(hints, 250);
      return reader.decodeFromConstraints(
        { video: { facingMode: "environment" } }, scanner.querySelector("video"),
        function (result) {
          if (!result || !reader || mine !== press) return;
          var text = result.getText().trim();
          if (longest && text.length > longest) {
            status.textContent = scanner.dataset.tooLong;
            return;
          }
          stop(scanner);
          input.value = text;
          input.dispatchEvent(new Event("change", { bubbles: true }));
          input.focus();
          if (button.hasAttribute("data-scan-submit")) input.form.requestSubmit();
        });
    }).catch(function () {
      if (mine !== press) return;
      stop(scanner);
      scanner.hidden = false;
      status.textContent = scanner.dataset.failed;
    });
  }

  function setup() {
    var scanner = document.getElementById("scanner");
    if (!scanner || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    scanner.querySelector("[data-scan-stop]").addEventListener("click", function () {
      stop(scanner);
    });
    document.querySelectorAll("button[data-scan-into]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { scanInto(button, scanner); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
