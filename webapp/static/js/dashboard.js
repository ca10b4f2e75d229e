/* Dashboard: the hotspot map (report counts per hexagon from vector tiles, in greys; the ranked
   hotspots over them in their ranking's classes), rows that focus it, and sortable tables. */
(function () {
  "use strict";
  var el = document.getElementById("hotspot-map");
  var map = null, wards = null, ranked = {}, chosen = null, highlighted = null;
  var TOP = "#7f0000", NEXT = "#e34a33";

  function select(row) {
    if (chosen) { chosen.classList.remove("chosen"); }
    chosen = row; row.classList.add("chosen");
    el.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  if (el && L.vectorGrid) {
    map = L.map(el, { maxZoom: 18 });
    map.on("moveend", function () {  // where the map looks, for the page's own tests and bookmarks
      var c = map.getCenter();
      el.dataset.view = c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom();
    });
    map.setView([16.46, 107.59], 12);
    var query = window.location.search.replace(/^\?/, "");
    L.vectorGrid.protobuf("/tiles/hotspots/{z}/{x}/{y}.pbf?" + query, {
      vectorTileLayerStyles: { hotspots: function (p) {
        var n = p.count, c = n > 50 ? "#525252" : n > 20 ? "#737373" : n > 5 ? "#969696" : "#d9d9d9";
        return { fill: true, fillColor: c, fillOpacity: 0.5, weight: 0 }; } }, maxNativeZoom: 16
    }).addTo(map);
    wards = L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
      vectorTileLayerStyles: { wards: { weight: 1, color: "#0b5394", fill: false } }, maxNativeZoom: 16,
      getFeatureId: function (f) { return f.properties.code; }
    }).addTo(map);
    JSON.parse(el.dataset.hotspots || "[]").forEach(function (h) {
      var top = h.rank <= 3;
      ranked[h.rank] = L.polygon(h.outlines.map(function (ring) { return [ring]; }), {  /* a place: one or more hexagons */ color: top ? TOP : NEXT, weight: 2, fillColor: top ? TOP : NEXT, fillOpacity: 0.55 })
        .bindTooltip("#" + h.rank, { permanent: true, direction: "center", className: "rank-label" }).addTo(map);
    });
    var bounds = Object.keys(ranked).map(function (k) { return ranked[k].getBounds(); });
    if (bounds.length) { map.fitBounds(bounds.reduce(function (a, b) { return a.extend(b); }, L.latLngBounds(bounds[0].getSouthWest(), bounds[0].getNorthEast())).pad(0.2)); }

    var boxes = JSON.parse(el.dataset.wards || "{}");
    function showWard(row) {
      var code = row.dataset.code, box = boxes[code];
      if (!box) { return; }
      select(row);
      if (highlighted) { wards.resetFeatureStyle(highlighted); }
      wards.setFeatureStyle(code, { weight: 4, color: "#c2255c", fill: true, fillColor: "#c2255c", fillOpacity: 0.08 });
      highlighted = code;
      map.fitBounds(box);
    }
    function showHotspot(row) {
      var shape = ranked[row.dataset.rank];
      if (!shape) { return; }
      select(row);
      map.fitBounds(shape.getBounds().pad(1.5));
      shape.openTooltip();
    }
    function bind(selector, show) {
      document.querySelectorAll(selector).forEach(function (row) {
        row.addEventListener("click", function (e) { if (e.target.tagName !== "A") { show(row); } });
        row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(row); } });
      });
    }
    bind("#ward-table tbody tr", showWard);
    bind("#hotspots tbody tr[data-rank]", showHotspot);
  }

  /* Sortable tables: a number column sorts by its cell's data-sort (the shown text is written the
     reader's way, 1.234,5), the largest first on the first click (what a leader looks for: the most
     overdue); a text column alphabetically, A first. */
  document.querySelectorAll("table.sortable th").forEach(function (th, column) {
    th.style.cursor = "pointer";
    th.setAttribute("role", "button"); th.tabIndex = 0;
    th.addEventListener("click", function () {
      var body = th.closest("table").tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var numeric = rows.length && rows[0].cells[column].dataset.sort !== undefined;
      var first = th.dataset.sorted === undefined, asc = numeric ? (!first && th.dataset.sorted === "desc") : th.dataset.sorted !== "asc";
      th.dataset.sorted = asc ? "asc" : "desc";
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var cmp = numeric ? parseFloat(a.cells[column].dataset.sort) - parseFloat(b.cells[column].dataset.sort)
          : a.cells[column].textContent.trim().localeCompare(b.cells[column].textContent.trim(), document.documentElement.lang);
        return asc ? cmp : -cmp;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); th.click(); } });
  });
})();
