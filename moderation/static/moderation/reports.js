/* Draws the report charts from the JSON the page embeds (no inline script: CSP-friendly). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("report-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var palette = ["#00594f", "#2d5fa8", "#a15c00", "#7d1a14", "#4b2a86"];
    var volume = document.getElementById("chart-volume");
    if (volume) {
      new Chart(volume, {
        type: "bar",
        data: {labels: data.days, datasets: data.volume.map(function (s, i) {
          return {label: s.label, data: s.data, backgroundColor: palette[i % palette.length]};
        })},
        options: {maintainAspectRatio: false, animation: false, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}
      });
    }
    var flags = document.getElementById("chart-flags");
    if (flags) {
      new Chart(flags, {
        type: "bar",
        data: {labels: data.flags.labels, datasets: [{label: "Flags", data: data.flags.data, backgroundColor: "#00594f"}]},
        options: {indexAxis: "y", maintainAspectRatio: false, animation: false, plugins: {legend: {display: false}}}
      });
    }
  });
})();
