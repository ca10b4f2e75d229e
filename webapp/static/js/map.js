/* The public map: report vector tiles (clusters below z15, points above); no personal data. */
(function () {
  "use strict";
  var T = window.PA_T, el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 }).setView([16.4637, 107.5909], 13);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var closed = { resolved: 1, rejected: 1, closed: 1 };
  var layer = null;

  /* Radii of 11 px and more: a finger's target (22 px across), and Leaflet treats a circle of 10 px or
     less as a marker whose position it asks for, which VectorGrid's points do not have (the click then
     throws "Cannot read properties of undefined (reading 'lat')", Leaflet.VectorGrid issue #148). */
  function style(p, zoom) {
    if (p.count !== undefined) {  // a cluster: size by count, orange while any is open
      var r = Math.min(11 + Math.sqrt(p.count) * 1.5, 28);
      return { radius: r, fill: true, fillColor: p.open ? "#d9480f" : "#2b8a3e", fillOpacity: 0.7, color: "#fff", weight: 1 };
    }
    var done = closed[p.status];
    return { radius: 11, fill: true, fillColor: done ? "#2b8a3e" : "#d9480f", fillOpacity: 0.85, color: "#fff", weight: 2 };
  }

  function load() {
    var category = document.getElementById("map-category").value;
    if (layer) { map.removeLayer(layer); }
    layer = L.vectorGrid.protobuf("/tiles/reports/{z}/{x}/{y}.pbf" + (category ? "?category=" + encodeURIComponent(category) : ""), {
      vectorTileLayerStyles: { reports: style }, interactive: true, maxNativeZoom: 18,
      getFeatureId: function () { return undefined; }
    }).on("click", function (e) {
      var p = e.layer.properties;
      if (p.count !== undefined && p.count > 1 && map.getZoom() < 18) {  // a cluster opens by zooming in
        map.setView(e.latlng, Math.min(map.getZoom() + 2, 18));
        return;
      }
      var text = p.count !== undefined ? p.count + " · " + p.open + " " + T.open
                                       : p.category + " · " + (closed[p.status] ? T.closed : T.open) + " · " + p.age_days + " d";
      L.popup().setLatLng(e.latlng).setContent(text).openOn(map);
    }).addTo(map);
    document.getElementById("map-count").textContent = T.count;
  }
  document.getElementById("map-category").addEventListener("change", load);
  L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
    vectorTileLayerStyles: { wards: { weight: 1, color: "#2a6f97", fill: false } }, maxNativeZoom: 16
  }).addTo(map);
  load();
})();
