/* A small map of one report: its pin, and the ward outline when the page provides it. */
(function () {
  "use strict";
  var el = document.getElementById("map"), at = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  var map = L.map(el, { maxZoom: 19 }).setView(at, 16);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var geometry = document.getElementById("ward-geometry");
  var ward = geometry ? JSON.parse(geometry.textContent) : null;
  if (ward) {
    var outline = L.geoJSON(ward, { style: { color: "#0b5394", weight: 2, fillOpacity: 0.05 } }).addTo(map);
    map.fitBounds(outline.getBounds());
  }
  L.marker(at).addTo(map);
})();
