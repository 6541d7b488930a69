/* The progress bar of an import: polls the job's JSON status and reloads the page when the run is over. */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box || box.dataset.running !== "1") {
    return;
  }
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var label = document.getElementById("import-status-label");

  function poll() {
    fetch(box.dataset.importStatus, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) {
          window.setTimeout(poll, 3000);
          return;
        }
        if (bar) { bar.value = status.percent; }
        if (text) { text.textContent = status.percent + "%"; }
        if (label) { label.textContent = status.status_label; }
        if (status.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
