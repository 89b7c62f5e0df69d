/* Draws every chart of a HEART report from the JSON specification embedded beside it.
 * Runs from file:// with no network: plotly.min.js is loaded from ./assets by the page.
 * The modebar keeps only what a reader needs (download a PNG, zoom, reset): no
 * plotly logo and no "send to cloud". Before printing, every "Numbers behind this
 * chart" table is opened so the printed page carries the figures too. */
(function () {
  "use strict";
  var CONFIG = {
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    responsive: true,
    modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d", "autoScale2d", "toggleSpikelines",
      "hoverClosestCartesian", "hoverCompareCartesian"],
    toImageButtonOptions: { format: "png", scale: 2 }
  };

  function drawAll() {
    var nodes = document.querySelectorAll("[data-chart-spec]");
    Array.prototype.forEach.call(nodes, function (node) {
      var source = document.getElementById(node.getAttribute("data-chart-spec"));
      if (typeof window.Plotly === "undefined") {
        node.classList.add("chart-missing");
        node.textContent = "This chart needs assets/plotly.min.js beside the report. The numbers are in the table below.";
        return;
      }
      var spec = JSON.parse(source.textContent);
      window.Plotly.newPlot(node, spec.data, spec.layout, CONFIG).then(function () {
        node.setAttribute("data-drawn", "true");
      });
    });
  }

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
    if (window.Plotly) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-drawn]"), function (node) {
        window.Plotly.Plots.resize(node);
      });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
