// Keeps a running job's figures up to date without reloading the page, then reloads
// it once the job has finished so that the download link or report appears.
(function () {
  "use strict";
  var panel = document.querySelector("[data-job-progress]");
  if (!panel || panel.dataset.jobFinished === "true") {
    return;
  }
  var bar = document.getElementById("job-progress-bar");
  var text = document.getElementById("job-progress-text");
  var every = 1000 * Math.max(1, parseInt(panel.dataset.refreshSeconds, 10) || 5) / 2;

  function refresh() {
    fetch(panel.dataset.jobProgress, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (figures) {
        if (figures.finished) {
          window.location.reload();
          return;
        }
        // Without a total (a platform's roster), the bar stays one of work under way.
        if (figures.total) {
          bar.max = figures.total;
          bar.value = figures.done;
          bar.textContent = figures.percent + "%";
        }
        if (text.textContent !== figures.text) {
          text.textContent = figures.text;
        }
        window.setTimeout(refresh, every);
      })
      .catch(function () {
        window.location.reload();
      });
  }
  window.setTimeout(refresh, every);
})();
