/* Dashboard: the choropleth (Leaflet, boundaries served by the portal, no tiles) and the burn-up chart
   (Chart.js). Both read their data from <script type="application/json"> blocks rendered by Django. */
(function () {
  "use strict";
  var SELF = document.currentScript;

  var COLOURS = ["#fde0dd", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"];
  // One formatting rule with the pages: Indonesian numbers (27,3 %; 8.158) and dates (12 Jun 2025).
  var LOCALE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var ONE_DECIMAL = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
  var WHOLE = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
  var DAY = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric" });

  function percent(value) { return ONE_DECIMAL.format(value) + " %"; }
  function day(iso) { return DAY.format(new Date(iso + "T00:00:00")).replace(".", ""); }

  // Classes follow the spread of the values shown (quantiles), so that a nation at 5 % is not one flat colour.
  function bins(values) {
    var sorted = values.filter(function (v) { return v !== undefined && v !== null; })
      .sort(function (a, b) { return a - b; });
    if (!sorted.length) { return []; }
    var edges = [];
    for (var i = 1; i < COLOURS.length; i++) {
      var edge = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * i / COLOURS.length))];
      if (!edges.length || edge > edges[edges.length - 1]) { edges.push(edge); }
    }
    if (edges.length && edges[0] <= sorted[0]) { edges.shift(); }
    return edges;
  }

  function colour(value, edges) {
    if (value === undefined || value === null) { return "#e5e7eb"; }
    for (var i = 0; i < edges.length; i++) { if (value < edges[i]) { return COLOURS[i]; } }
    return COLOURS[edges.length];
  }

  function legend(element, edges, values) {
    if (!element) { return; }
    var low = Math.min.apply(null, values.length ? values : [0]);
    var high = Math.max.apply(null, values.length ? values : [0]);
    var bounds = [low].concat(edges).concat([high]);
    // Built node by node: a style attribute in markup would be refused by the Content-Security-Policy,
    // while setting element.style from a script is allowed.
    element.replaceChildren();
    for (var i = 0; i < bounds.length - 1; i++) {
      var item = document.createElement("span");
      var swatch = document.createElement("i");
      swatch.style.background = COLOURS[i];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(percent(bounds[i]) +
                       (bounds[i + 1] !== bounds[i] ? "–" + percent(bounds[i + 1]) : "")));
      element.appendChild(item);
    }
  }

  var loaded = {};
  function loadScript(url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        // A card's own script (land.js) may have started loading the same library: wait for that copy.
        var existing = document.querySelector("script[src='" + url + "']");
        if (existing) {
          if (existing.dataset.loaded) { resolve(); } else { existing.addEventListener("load", resolve); }
          return;
        }
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () { script.dataset.loaded = "1"; resolve(); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loaded[url];
  }

  function loadStyle(url) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  // Run ``draw`` once ``element`` comes near the screen (at once where IntersectionObserver is missing).
  function whenVisible(element, draw) {
    if (!element) { return; }
    if (!("IntersectionObserver" in window)) { draw(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { observer.disconnect(); draw(); }
    }, { rootMargin: "300px" });
    observer.observe(element);
  }

  function drawMap() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") { return; }
    var values = JSON.parse(document.getElementById("map-values").textContent);
    var metric = element.dataset.metric;
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var layer;
    var focus = element.dataset.focus;
    var edges = [];
    function metricValues() {
      return Object.keys(values).map(function (code) { return values[code][metric]; })
        .filter(function (v) { return v !== undefined && v !== null; });
    }
    function restyle() {
      edges = bins(metricValues());
      legend(document.getElementById("map-legend"), edges, metricValues());
    }
    restyle();
    function style(feature) {
      var row = values[feature.properties.code] || {};
      var focused = focus && feature.properties.code === focus;
      return { fillColor: colour(row[metric], edges), fillOpacity: focus && !focused ? 0.35 : 0.9,
               color: focused ? "#1f2328" : "#ffffff", weight: focused ? 3 : 1 };
    }
    fetch(element.dataset.geojson).then(function (response) { return response.json(); }).then(function (geo) {
      layer = L.geoJSON(geo, {
        style: style,
        onEachFeature: function (feature, shape) {
          var row = values[feature.properties.code];
          shape.bindTooltip(document.createTextNode(feature.properties.name + (row ? ": " + percent(row[metric]) : "")));
          if (row && row.reachable) {
            shape.on("click", function () {
              window.location.href = element.dataset.dashboard.replace("/00/", "/" + feature.properties.code + "/");
            });
          }
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      layer.eachLayer(function (shape) {
        if (focus && shape.feature.properties.code === focus) { bounds = shape.getBounds(); shape.bringToFront(); }
      });
      map.fitBounds(bounds, { padding: [10, 10] });
      element.dataset.ready = "1";
    });
    document.querySelectorAll(".map-metric").forEach(function (button) {
      button.addEventListener("click", function () {
        metric = button.dataset.metric;
        element.dataset.metric = metric;
        document.querySelectorAll(".map-metric").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        restyle();
        if (layer) {
          layer.setStyle(style);
          layer.eachLayer(function (shape) {
            var row = values[shape.feature.properties.code];
            shape.setTooltipContent(shape.feature.properties.name + (row ? ": " + percent(row[metric]) : ""));
          });
        }
      });
    });
  }

  function drawBurnUp() {
    var canvas = document.getElementById("burn-up");
    if (!canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(document.getElementById("burn-up-data").textContent);
    // One value a day from data.first_day: the page sends the first day only (600 dates were a third of the data).
    // A drawing of another release is never served with this script: the release is in its cache key.
    var first = Date.parse(data.first_day + "T00:00:00Z");
    var days = data.achieved.map(function (value, index) {
      return new Date(first + index * 86400000).toISOString().slice(0, 10);
    });
    var dueIndex = days.indexOf(data.due);
    var dueLine = {
      id: "dueLine",
      afterDatasetsDraw: function (chart) {
        if (dueIndex < 0) { return; }
        var x = chart.scales.x.getPixelForValue(dueIndex);
        var context = chart.ctx;
        context.save();
        context.strokeStyle = "#b4121b";
        context.setLineDash([4, 4]);
        context.beginPath();
        context.moveTo(x, chart.chartArea.top);
        context.lineTo(x, chart.chartArea.bottom);
        context.stroke();
        context.fillStyle = "#b4121b";
        context.fillText(data.labels.due, x + 4, chart.chartArea.top + 12);
        context.restore();
      }
    };
    new Chart(canvas, {
      type: "line",
      data: {
        labels: days,
        datasets: [
          { label: data.labels.achieved, data: data.achieved, borderColor: "#1a7f37", backgroundColor: "#1a7f37",
            pointRadius: 0, borderWidth: 2, spanGaps: true },
          { label: data.labels.projection, data: data.projection, borderColor: "#9a6700", borderDash: [6, 4],
            pointRadius: 0, borderWidth: 2, spanGaps: true },
          { label: data.labels.target, data: days.map(function () { return data.target; }),
            borderColor: "#5b6570", pointRadius: 0, borderWidth: 1 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: { callbacks: {
          title: function (items) { return items.length ? day(days[items[0].dataIndex]) : ""; },
          label: function (item) { return item.dataset.label + ": " + WHOLE.format(item.parsed.y); }
        } } },
        scales: {
          x: { ticks: { maxTicksLimit: 8, callback: function (value) { return day(days[value]); } } },
          y: { beginAtZero: true, ticks: { callback: function (value) { return WHOLE.format(value); } } }
        }
      },
      plugins: [dueLine]
    });
    canvas.dataset.ready = "1";
  }

  whenVisible(document.getElementById("map"), function () {
    loadStyle(SELF.dataset.leafletCss);
    loadScript(SELF.dataset.leafletJs).then(drawMap);
  });
  whenVisible(document.getElementById("burn-up"), function () {
    loadScript(SELF.dataset.chartJs).then(drawBurnUp);
  });
})();
