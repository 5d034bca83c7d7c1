// Maps, where INTAKE_MAP_TILES is set and JavaScript runs (Leaflet, served from this site).
// Every page works without them: the report form keeps its latitude and longitude fields and
// its list of communes and wards; staff and open data keep their tables.
//   data-map="pick": the report form's pin, filling latitude/longitude; where boundaries are
//     configured, the commune or ward is chosen from the pin (still editable).
//   data-map="points": markers from data-points (JSON: lat, lon, label, href, count).
(function () {
  "use strict";

  function baseMap(element) {
    var config = JSON.parse(element.dataset.config);
    var map = L.map(element).setView(config.centre, config.zoom);
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }

  function text(words) {  // never HTML: labels are what people typed
    var span = document.createElement("span");
    span.textContent = words;
    return span;
  }

  function pick(element) {
    var map = baseMap(element);
    var latitude = document.getElementById("latitude");
    var longitude = document.getElementById("longitude");
    var commune = document.getElementById("commune");
    var status = document.getElementById("position-status");
    var marker = null;

    function show(point) {
      if (marker) marker.setLatLng(point);
      else marker = L.marker(point).addTo(map);
    }

    function place(point) {
      show(point);
      latitude.value = point.lat.toFixed(6);
      longitude.value = point.lng.toFixed(6);
      var query = new URLSearchParams({ lat: latitude.value, lon: longitude.value });
      fetch(element.dataset.place + "?" + query.toString(), { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : {}; })
        .then(function (found) {
          if (!found.commune || !commune) return;
          commune.value = found.commune;
          commune.dispatchEvent(new Event("change", { bubbles: true }));
          status.textContent = element.dataset.located.replace("{commune}", found.commune);
        })
        .catch(function () { /* no guess: the list stays as it is */ });
    }

    function typed() {
      var lat = parseFloat(latitude.value), lon = parseFloat(longitude.value);
      if (isFinite(lat) && isFinite(lon)) {
        show([lat, lon]);
        map.setView([lat, lon], Math.max(map.getZoom(), 15));
      }
    }

    map.on("click", function (event) { place(event.latlng); });
    latitude.addEventListener("change", typed);
    longitude.addEventListener("change", typed);
    typed();

    if (navigator.geolocation) {
      var locate = document.createElement("button");
      locate.type = "button";
      locate.className = "secondary locate";
      locate.textContent = element.dataset.locate;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (found) {
          var point = L.latLng(found.coords.latitude, found.coords.longitude);
          map.setView(point, 16);
          place(point);
        }, function () { status.textContent = element.dataset.unlocated; },
        { enableHighAccuracy: true, timeout: 10000 });
      });
      element.insertAdjacentElement("afterend", locate);
    }
  }

  function points(element) {
    var map = baseMap(element);
    var shown = JSON.parse(element.dataset.points);
    var bounds = [];
    shown.forEach(function (point) {
      var where = [point.lat, point.lon];
      var mark = point.count
        ? L.circleMarker(where, { radius: 6 + 3 * Math.sqrt(point.count) })
        : L.marker(where);
      mark.bindTooltip(text(point.label), { permanent: Boolean(point.count) }).addTo(map);
      if (point.href) mark.on("click", function () { window.location.href = point.href; });
      bounds.push(where);
    });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    else if (bounds.length === 1) map.setView(bounds[0], 16);
  }

  function setup() {
    if (!window.L) return;
    document.querySelectorAll("[data-map]").forEach(function (element) {
      if (element.dataset.map === "pick") pick(element);
      else points(element);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
