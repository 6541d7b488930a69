/* Federation dashboard: the federation's sites on a map (Leaflet, the members' kabupaten outlines served by the
   portal, no tiles) and its monthly figures (Chart.js). Data come from <script type="application/json"> blocks. */
(function () {
  "use strict";
  var SELF = document.currentScript;
  var LOCALE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var WHOLE = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
  var MONTH = new Intl.DateTimeFormat(LOCALE, { month: "short", year: "numeric" });

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
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

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function drawMap() {
    var element = document.getElementById("federation-map");
    if (!element || typeof L === "undefined") { return; }
    var sites = data("site-points") || [];
    var regencies = (element.dataset.regencies || "").split(",").filter(Boolean);
    var provinces = (element.dataset.provinces || "").split(",").filter(Boolean);
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var markers = L.featureGroup(sites.map(function (site) {
      var marker = L.circleMarker([site.lat, site.lng], { radius: 8, className: "site-marker site-" + site.status +
                                                                        " site-kind-" + site.kind });
      marker.bindTooltip(document.createTextNode(site.name + " — " + site.status_label));
      marker.on("click", function () { window.location.href = site.url; });
      return marker;
    }));
    Promise.all(provinces.map(function (code) {
      return fetch(element.dataset.geojsonBase + code + ".json").then(function (response) { return response.json(); });
    })).then(function (collections) {
      var outlines = L.featureGroup();
      collections.forEach(function (geo) {
        L.geoJSON(geo, {
          filter: function (feature) { return regencies.indexOf(feature.properties.code) >= 0; },
          style: function () { return { className: "member-outline" }; }
        }).addTo(outlines);
      });
      outlines.addTo(map);
      markers.addTo(map);
      var bounds = outlines.getLayers().length ? outlines.getBounds() : null;
      if (sites.length) { bounds = bounds ? bounds.extend(markers.getBounds()) : markers.getBounds(); }
      if (bounds) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([-2.5, 118], 4); }
      element.dataset.ready = "1";
      element.dataset.markers = String(sites.length);
    });
  }

  function drawFigures() {
    var canvas = document.getElementById("figures-chart");
    if (!canvas || typeof Chart === "undefined") { return; }
    var figures = data("figures-data");
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: figures.months.map(function (month) { return MONTH.format(new Date(month + "T00:00:00")); }),
        datasets: [
          { label: figures.labels.revenue, data: figures.revenue, backgroundColor: "#1a7f37", yAxisID: "y" },
          { label: figures.labels.patients, data: figures.patients, type: "line", borderColor: "#0969da",
            backgroundColor: "#0969da", yAxisID: "patients", pointRadius: 2 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { tooltip: { callbacks: {
          label: function (item) { return item.dataset.label + ": " + WHOLE.format(item.parsed.y); }
        } } },
        scales: {
          y: { beginAtZero: true, ticks: { callback: function (value) { return WHOLE.format(value); } } },
          patients: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } }
        }
      }
    });
    canvas.dataset.ready = "1";
  }

  if (document.getElementById("federation-map")) {
    loadStyle(SELF.dataset.leafletCss);
    loadScript(SELF.dataset.leafletJs).then(drawMap);
  }
  if (document.getElementById("figures-chart")) {
    loadScript(SELF.dataset.chartJs).then(drawFigures);
  }
})();
