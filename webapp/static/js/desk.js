/* The desk map: the queue's reports from the staff vector tiles, coloured by status, overdue ringed
   in red; tabs on a phone. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 }).setView([16.4637, 107.5909], 13);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var colour = { received: "#d9480f", accepted: "#f59f00", assigned: "#1971c2", in_progress: "#7048e8",
                 reopened: "#c2255c", resolved: "#2b8a3e", rejected: "#868e96", closed: "#495057" };
  L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
    vectorTileLayerStyles: { wards: { weight: 1, color: "#0b5394", fill: false } }, maxNativeZoom: 16
  }).addTo(map);
  L.vectorGrid.protobuf("/tiles/desk/{z}/{x}/{y}.pbf" + window.location.search, {
    vectorTileLayerStyles: { desk: function (p) {
      // 11 px and more: a finger's target, and no VectorGrid click error (see map.js)
      return { radius: 11, fill: true, fillColor: colour[p.status] || "#333", fillOpacity: 0.85,
               color: p.overdue ? "#c92a2a" : "#fff", weight: p.overdue ? 3 : 1 }; } },
    interactive: true, maxNativeZoom: 18
  }).on("click", function (e) {
    var p = e.layer.properties, link = document.createElement("a");
    link.href = "/desk/reports/" + p.code; link.textContent = p.code + " · " + p.status;
    L.popup().setLatLng(e.latlng).setContent(link).openOn(map);
  }).addTo(map);
  if (el.dataset.center) { map.setView(JSON.parse(el.dataset.center), 14); }
  document.querySelectorAll("[data-tab]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById("list-pane").hidden = button.dataset.tab !== "list-pane";
      document.getElementById("map-pane").hidden = button.dataset.tab !== "map-pane";
      map.invalidateSize();
    });
  });
})();
