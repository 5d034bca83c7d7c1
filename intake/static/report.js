// The report form, enhanced where JavaScript runs: previews of the chosen photos, a progress
// bar while the files are sent, the error summary focused so it is read out first, and — once
// the form could be sent — the open reports about the same goods, offered to add to ("I saw
// this too"). Without JavaScript the form works the same: it is an
// ordinary multipart POST, and the offer comes as a step after the first submit.
(function () {
  "use strict";

  var SHOW_PROGRESS_FROM_BYTES = 256 * 1024;

  // A photo of 300 KB is "300 KB", not "0 MB"; from 1 MB on, in MB with one decimal.
  function fileSize(bytes) {
    var language = document.documentElement.lang || "vi";
    var number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    if (bytes < 1024 * 1024) return number.format(Math.max(1, Math.round(bytes / 1024))) + " KB";
    return number.format(bytes / (1024 * 1024)) + " MB";
  }

  function showPreviews(input, list) {
    while (list.firstChild) {
      var old = list.firstChild.querySelector("img");
      if (old) URL.revokeObjectURL(old.src);
      list.removeChild(list.firstChild);
    }
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      if (/^image\//.test(file.type)) {
        var image = document.createElement("img");
        image.src = URL.createObjectURL(file);
        image.alt = "";  // the name beside it says what it is
        item.appendChild(image);
      }
      var caption = document.createElement("span");
      caption.textContent = file.name + " · " + fileSize(file.size);
      item.appendChild(caption);
      list.appendChild(item);
    });
    list.hidden = input.files.length === 0;
  }

  function totalSize(input) {
    return Array.prototype.reduce.call(input.files, function (sum, file) {
      return sum + file.size;
    }, 0);
  }

  // Show the server's answer (the receipt, or the form with its messages) as if the browser
  // had loaded it, and keep its address so a reload or a bookmark works.
  function showAnswer(request) {
    var answer = new DOMParser().parseFromString(request.responseText, "text/html");
    document.title = answer.title;
    document.body.replaceWith(answer.body);
    if (request.responseURL && request.responseURL !== window.location.href) {
      window.history.replaceState(null, "", request.responseURL);
    }
    window.scrollTo(0, 0);
    setup();
  }

  function sendWithProgress(form, status, bar, button) {
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.round((event.loaded / event.total) * 100);
      bar.value = percent;
      status.firstChild.textContent = form.dataset.sending.replace("{percent}", percent);
    });
    request.addEventListener("load", function () { showAnswer(request); });
    request.addEventListener("error", function () {
      status.firstChild.textContent = form.dataset.failed;
      bar.hidden = true;
      button.disabled = false;
    });
    button.disabled = true;
    status.hidden = false;
    bar.hidden = false;
    request.send(new FormData(form));
  }

  // The offer is asked for with the form's words (not its files) whenever a field changes;
  // the server makes one only for a report that could be filed as it is.
  function offerSameGoods(form) {
    var offer = document.getElementById("same-goods-offer");
    if (!offer || !window.fetch || !window.FormData) return;
    var timer = null;
    function lookUp() {
      var words = new FormData(form);
      words.delete("photos");
      words.delete("join_case");
      var chosen = form.querySelector("input[name=join_case]:checked");
      var keep = chosen ? chosen.id : "";  // the choice's value is new at every offer
      fetch(offer.dataset.similar, { method: "POST", body: words, credentials: "same-origin" })
        .then(function (answer) {
          if (!answer.ok) throw new Error(answer.status);  // keep what is shown
          return answer.text();
        })
        .then(function (html) {
          var found = new DOMParser().parseFromString(html, "text/html").body;
          offer.replaceChildren.apply(offer, Array.prototype.slice.call(found.childNodes));
          var again = keep && document.getElementById(keep);
          if (again) again.checked = true;
        })
        .catch(function () { /* no new offer: the server asks after the first submit */ });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "join_case" || event.target.type === "file") return;
      clearTimeout(timer);
      timer = setTimeout(lookUp, 300);
    });
  }

  // What is known of the brand and barcode typed — the agencies' warnings and the owner's
  // guides to telling the genuine product — beside the field.
  function showBrandGuides(form) {
    var panel = document.getElementById("brand-guides");
    var brand = form.querySelector("input[name=brand]");
    var barcode = form.querySelector("input[name=barcode]");
    if (!panel || !brand || !window.fetch) return;
    var timer = null;
    function typed() {
      return "?brand=" + encodeURIComponent(brand.value) +
        "&barcode=" + encodeURIComponent(barcode ? barcode.value : "");
    }
    var shown = typed();
    function lookUp() {
      if (typed() === shown) return;
      shown = typed();
      fetch(panel.dataset.guides + shown, { credentials: "same-origin" })
        .then(function (answer) {
          if (!answer.ok) throw new Error(answer.status);
          return answer.text();
        })
        .then(function (html) {
          var found = new DOMParser().parseFromString(html, "text/html").body;
          panel.replaceChildren.apply(panel, Array.prototype.slice.call(found.childNodes));
        })
        .catch(function () { /* keep what is shown; the page of guides is linked below */ });
    }
    [brand, barcode].forEach(function (field) {
      if (!field) return;
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookUp, 400);
      });
      field.addEventListener("change", lookUp);
    });
  }

  function setup() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    var form = document.querySelector("form[data-sending]");
    if (!form) return;
    var input = form.querySelector("input[type=file]");
    var previews = document.getElementById(input.id + "-previews");
    var status = document.getElementById("upload-status");
    var bar = status.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    input.addEventListener("change", function () { showPreviews(input, previews); });
    offerSameGoods(form);
    showBrandGuides(form);
    form.addEventListener("submit", function (event) {
      if (!window.FormData || totalSize(input) < SHOW_PROGRESS_FROM_BYTES) return;
      event.preventDefault();
      sendWithProgress(form, status, bar, button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
