/* Draws every chart of a HEART report from the JSON specification embedded beside it.
 * Runs from file:// with no network: plotly.min.js is loaded from ../assets by the page (or is
 * written into the page by a self-contained build). Without it (a page e-mailed on its own), each
 * chart becomes a one-line note and its "Numbers behind this chart" table is opened: every figure
 * is still there, and no empty box is left.
 * No modebar: its buttons are focusable elements inside an image (an accessibility fault), and
 * zoom controls crowd a phone screen. Before printing, every table is opened so the printed page
 * carries the figures too. */
(function () {
  "use strict";
  var CONFIG = { displayModeBar: false, displaylogo: false, responsive: true };

  function giveUp(node) {
    node.classList.add("chart-missing");
    node.removeAttribute("role");
    node.textContent = "Chart not drawn: its library (assets/plotly.min.js) is not beside this page. " +
      "The numbers are in the table below.";
    var figure = node.closest("figure");
    var details = figure && figure.querySelector("details");
    if (details) { details.open = true; }
  }

  function drawAll() {
    var nodes = document.querySelectorAll("[data-chart-spec]");
    Array.prototype.forEach.call(nodes, function (node) {
      var source = document.getElementById(node.getAttribute("data-chart-spec"));
      if (typeof window.Plotly === "undefined" || !source) {
        giveUp(node);
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
