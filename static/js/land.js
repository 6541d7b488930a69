/* Land and construction: the phone's GPS into the latitude/longitude fields, photos made smaller before they
   leave a phone on a slow link, the plot map of a kabupaten (Leaflet, outlines served by the portal, no tiles)
   and a project's planned-vs-actual chart (Chart.js). No inline script: data come from data attributes and
   <script type="application/json"> blocks. */
(function () {
  "use strict";
  var SELF = document.currentScript;
  var LOCALE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var DAY = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric" });
  var MAX_SIDE = 1600;  // as pembangunan/photos.py keeps on the server

  // The area dashboard's script may load Leaflet too: one copy only, or maps would mix two Leaflets.
  function loadScript(url) {
    var existing = document.querySelector("script[src='" + url + "']");
    if (existing) {
      return new Promise(function (resolve) {
        if (existing.dataset.loaded) { resolve(); } else { existing.addEventListener("load", resolve); }
      });
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { script.dataset.loaded = "1"; resolve(); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadStyle(url) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  // GPS: the button fills the latitude/longitude inputs of its own form.
  document.querySelectorAll("[data-gps-button]").forEach(function (button) {
    var form = button.closest("form");
    var status = form.querySelector("[data-gps-status]");
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      status.textContent = button.dataset.gpsWaiting;
      navigator.geolocation.getCurrentPosition(function (position) {
        var latitude = form.querySelector("[data-gps-latitude]");
        var longitude = form.querySelector("[data-gps-longitude]");
        if (latitude) { latitude.value = position.coords.latitude.toFixed(6); }
        if (longitude) { longitude.value = position.coords.longitude.toFixed(6); }
        var keep = form.querySelector("input[name$='keep_location']");
        if (keep) { keep.checked = true; }
        status.textContent = button.dataset.gpsDone;
        button.dataset.filled = "1";
      }, function () {
        status.textContent = button.dataset.gpsFailed;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  });

  // Photos: a phone's 4–8 MB picture becomes ~300 KB before upload. Re-encoding drops EXIF, so where the user
  // keeps the location the original goes up (the server keeps only its GPS) unless the GPS fields are filled.
  function shrink(input) {
    var file = input.files && input.files[0];
    if (!file || !/^image\/(jpeg|png)$/.test(file.type) || typeof createImageBitmap === "undefined" ||
        typeof DataTransfer === "undefined") { return; }
    var form = input.closest("form");
    var keep = form && form.querySelector("input[name$='keep_location']");
    var latitude = form && form.querySelector("[data-gps-latitude]");
    if (keep && keep.checked && !(latitude && latitude.value)) { return; }
    createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1024 * 1024) { return; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob || blob.size >= file.size) { return; }
        var smaller = new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
        var transfer = new DataTransfer();
        transfer.items.add(smaller);
        input.files = transfer.files;
        input.dataset.shrunk = String(blob.size);
      }, "image/jpeg", 0.8);
    }).catch(function () { /* the server compresses anyway */ });
  }
  document.querySelectorAll("input[type=file][data-photo]").forEach(function (input) {
    input.addEventListener("change", function () { shrink(input); });
  });

  function drawMap() {
    var element = document.getElementById("land-map");
    if (!element || typeof L === "undefined") { return; }
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var regency = element.dataset.regency;
    Promise.all([
      fetch(element.dataset.points, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
      fetch(element.dataset.outline).then(function (r) { return r.json(); })
    ]).then(function (results) {
      var points = results[0].points || [];
      var outline = L.geoJSON(results[1], {
        filter: function (feature) { return feature.properties.code === regency; },
        style: function () { return { className: "member-outline" }; }
      }).addTo(map);
      var markers = L.featureGroup(points.map(function (plot) {
        var marker = L.circleMarker([plot.lat, plot.lon], { radius: 7, className: "plot-marker plot-" + plot.status });
        marker.bindTooltip(document.createTextNode(plot.name + " — " + plot.status_label + (plot.percent !== null ? " (" + plot.percent + " %)" : "")));
        marker.on("click", function () { window.location.href = plot.url; });
        return marker;
      })).addTo(map);
      var bounds = outline.getLayers().length ? outline.getBounds() : null;
      if (points.length) { bounds = bounds ? bounds.extend(markers.getBounds()) : markers.getBounds(); }
      if (bounds) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([-2.5, 118], 4); }
      element.dataset.markers = String(points.length);
      element.dataset.ready = "1";
    });
  }

  function drawProgress() {
    var canvas = document.getElementById("progress-chart");
    if (!canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(document.getElementById("progress-data").textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.days,
        datasets: [
          { label: data.labels.planned, data: data.planned, borderColor: "#5b6570", borderDash: [6, 4], pointRadius: 0,
            borderWidth: 2 },
          { label: data.labels.actual, data: data.actual, borderColor: "#1a7f37", backgroundColor: "#1a7f37",
            pointRadius: 0, borderWidth: 2, stepped: true, spanGaps: false }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: { callbacks: {
          title: function (items) { return items.length ? DAY.format(new Date(data.days[items[0].dataIndex] + "T00:00:00")) : ""; },
          label: function (item) { return item.dataset.label + ": " + item.parsed.y + " %"; }
        } } },
        scales: {
          x: { ticks: { maxTicksLimit: 6, callback: function (value) { return DAY.format(new Date(data.days[value] + "T00:00:00")); } } },
          y: { min: 0, max: 100 }
        }
      }
    });
    canvas.dataset.ready = "1";
  }

  if (document.getElementById("land-map")) {
    // The dashboard's own script may have loaded Leaflet already.
    if (typeof L !== "undefined") { drawMap(); } else {
      loadStyle(SELF.dataset.leafletCss);
      loadScript(SELF.dataset.leafletJs).then(drawMap);
    }
  }
  if (document.getElementById("progress-chart")) {
    loadScript(SELF.dataset.chartJs).then(drawProgress);
  }
})();
