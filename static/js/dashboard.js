/* Dashboard: the choropleth (Leaflet, boundaries served by the portal, no tiles) and the burn-up chart
   (Chart.js). Both read their data from <script type="application/json"> blocks rendered by Django. */
(function () {
  "use strict";

  var BINS = [20, 40, 60, 80];
  var COLOURS = ["#fde0dd", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"];

  function colour(value) {
    if (value === undefined || value === null) { return "#e5e7eb"; }
    for (var i = 0; i < BINS.length; i++) { if (value < BINS[i]) { return COLOURS[i]; } }
    return COLOURS[COLOURS.length - 1];
  }

  function legend(element) {
    var labels = ["< 20%", "20–40%", "40–60%", "60–80%", "≥ 80%"];
    element.innerHTML = labels.map(function (label, i) {
      return '<span><i style="background:' + COLOURS[i] + '"></i>' + label + "</span>";
    }).join("");
  }

  function drawMap() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") { return; }
    var values = JSON.parse(document.getElementById("map-values").textContent);
    var metric = element.dataset.metric;
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var layer;
    var focus = element.dataset.focus;
    function style(feature) {
      var row = values[feature.properties.code] || {};
      var focused = focus && feature.properties.code === focus;
      return { fillColor: colour(row[metric]), fillOpacity: focus && !focused ? 0.35 : 0.9,
               color: focused ? "#1f2328" : "#ffffff", weight: focused ? 3 : 1 };
    }
    fetch(element.dataset.geojson).then(function (response) { return response.json(); }).then(function (geo) {
      layer = L.geoJSON(geo, {
        style: style,
        onEachFeature: function (feature, shape) {
          var row = values[feature.properties.code];
          shape.bindTooltip(feature.properties.name + (row ? ": " + row[metric] + "%" : ""));
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
        if (layer) {
          layer.setStyle(style);
          layer.eachLayer(function (shape) {
            var row = values[shape.feature.properties.code];
            shape.setTooltipContent(shape.feature.properties.name + (row ? ": " + row[metric] + "%" : ""));
          });
        }
      });
    });
    legend(document.getElementById("map-legend"));
  }

  function drawBurnUp() {
    var canvas = document.getElementById("burn-up");
    if (!canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(document.getElementById("burn-up-data").textContent);
    var dueIndex = data.days.indexOf(data.due);
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
        labels: data.days,
        datasets: [
          { label: data.labels.achieved, data: data.achieved, borderColor: "#1a7f37", backgroundColor: "#1a7f37",
            pointRadius: 0, borderWidth: 2, spanGaps: true },
          { label: data.labels.projection, data: data.projection, borderColor: "#9a6700", borderDash: [6, 4],
            pointRadius: 0, borderWidth: 2, spanGaps: true },
          { label: data.labels.target, data: data.days.map(function () { return data.target; }),
            borderColor: "#5b6570", pointRadius: 0, borderWidth: 1 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } }
      },
      plugins: [dueLine]
    });
    canvas.dataset.ready = "1";
  }

  drawMap();
  drawBurnUp();
})();
