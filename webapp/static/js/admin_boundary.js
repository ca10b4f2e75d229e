/* A boundary set's page: its units (red) over the boundaries in force (blue tiles); while the
   re-assignment runs, the page looks again every few seconds. */
(function () {
  "use strict";
  var el = document.getElementById("boundary-map");
  var map = L.map(el, { maxZoom: 18 }).setView([16.46, 107.59], 10);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
    vectorTileLayerStyles: { wards: { weight: 2, color: "#1971c2", fill: false } }, maxNativeZoom: 16
  }).addTo(map);
  fetch(el.dataset.units, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (fc) {
    var layer = L.geoJSON(fc, { style: { color: "#c92a2a", weight: 1.5, fillOpacity: 0.05 },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name + " (" + f.properties.code + ")"); } }).addTo(map);
    if (fc.features.length) { map.fitBounds(layer.getBounds()); }
    el.dataset.units = String(fc.features.length);
  });
  var progress = document.querySelector("[data-reload-seconds]");
  if (progress) { setTimeout(function () { window.location.reload(); }, 1000 * parseFloat(progress.dataset.reloadSeconds)); }
})();
