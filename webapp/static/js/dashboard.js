/* Dashboard: the hotspot layer from vector tiles, and sortable tables. */
(function () {
  "use strict";
  var el = document.getElementById("hotspot-map");
  if (el && L.vectorGrid) {
    var map = L.map(el, { maxZoom: 18 }).setView([16.46, 107.59], 12);
    var query = window.location.search.replace(/^\?/, "");
    L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
      vectorTileLayerStyles: { wards: { weight: 1, color: "#0b5394", fill: false } }, maxNativeZoom: 16
    }).addTo(map);
    L.vectorGrid.protobuf("/tiles/hotspots/{z}/{x}/{y}.pbf?" + query, {
      vectorTileLayerStyles: { hotspots: function (p) {
        var n = p.count, c = n > 50 ? "#7f2704" : n > 20 ? "#d94801" : n > 5 ? "#fd8d3c" : "#fdd0a2";
        return { fill: true, fillColor: c, fillOpacity: 0.7, weight: 0 }; } }, maxNativeZoom: 16
    }).addTo(map);
  }
  document.querySelectorAll("table.sortable th").forEach(function (th, column) {
    th.style.cursor = "pointer";
    th.addEventListener("click", function () {
      var body = th.closest("table").tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = th.dataset.asc !== "1"; th.dataset.asc = asc ? "1" : "0";
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        var nx = parseFloat(x), ny = parseFloat(y);
        var cmp = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return asc ? cmp : -cmp;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
