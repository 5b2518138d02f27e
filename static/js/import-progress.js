// The admin import page's progress bar: asks the job's progress every second and moves the bar,
// then reloads the page once, to show the report, when the job is done. Without JavaScript the
// page reloads itself instead (a <noscript> refresh). No inline script: the CSP forbids it.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) {
    return;
  }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var url = box.getAttribute("data-progress-url");
  var rowsText = box.getAttribute("data-rows-text");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (!job) {
          window.setTimeout(poll, 3000);
          return;
        }
        if (job.finished) {
          window.location.reload();
          return;
        }
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        if (job.rows_total) {
          text.textContent = rowsText.replace("__DONE__", job.rows_done).replace("__TOTAL__", job.rows_total);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
