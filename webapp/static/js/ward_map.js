/* A ward's public page: the reports still being handled there (public report tiles filtered by ward and
   status; clusters zoom in), on the ward's box. The link above the map leads to the full map and its list. */
(function () {
  "use strict";
  var el = document.getElementById("ward-map");
  var map = L.map(el, { maxZoom: 19, scrollWheelZoom: false });
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  map.fitBounds(JSON.parse(el.dataset.bounds));
  L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
    vectorTileLayerStyles: { wards: function (p) {
      return p.code === el.dataset.ward ? { weight: 3, color: "#0b5394", fill: false } : { weight: 1, color: "#9bb8d3", fill: false };
    } }, maxNativeZoom: 16
  }).addTo(map);
  L.vectorGrid.protobuf("/tiles/reports/{z}/{x}/{y}.pbf?status=open&days=3650&ward=" + encodeURIComponent(el.dataset.ward), {
    vectorTileLayerStyles: { reports: function (p) { return window.PA_mapMarks.style(p, true); } },
    interactive: true, maxNativeZoom: 18
  }).on("click", function (e) {
    var p = e.layer.properties;
    if (p.count !== undefined && p.count > 1) { map.setView(e.latlng, Math.min(map.getZoom() + 2, 18)); return; }
    if (p.code) { window.location.href = "/r/" + encodeURIComponent(p.code); }
  }).addTo(map);
})();
