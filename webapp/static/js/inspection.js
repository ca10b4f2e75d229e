/* The inspection plan's small maps: each team's hotspots numbered in visiting order, and each hotspot's
   hexagon with its reports (orange: open, green: closed). Drawn from data attributes; no request. */
(function () {
  "use strict";
  var base = document.getElementById("plan-maps");
  function map(el) {
    var m = L.map(el, { scrollWheelZoom: false, zoomControl: true });
    if (base && base.dataset.basemap) {
      L.tileLayer(base.dataset.basemap, { maxZoom: 19, attribution: base.dataset.attribution }).addTo(m);
    }
    return m;
  }
  document.querySelectorAll(".team-map").forEach(function (el) {
    var stops = JSON.parse(el.dataset.stops), m = map(el), line = [];
    stops.forEach(function (s, k) {
      line.push([s[0], s[1]]);
      L.marker([s[0], s[1]], { icon: L.divIcon({ className: "visit-number", html: String(k + 1), iconSize: [26, 26] }),
                               title: "#" + s[2], keyboard: false }).addTo(m);
    });
    if (line.length > 1) { L.polyline(line, { color: "#0b5394", weight: 3, dashArray: "6 6" }).addTo(m); }
    m.fitBounds(L.latLngBounds(line).pad(0.3), { maxZoom: 16 });
  });
  document.querySelectorAll(".spot-map").forEach(function (el) {
    var rings = JSON.parse(el.dataset.hexagons).map(function (ring) { return [ring]; });  /* the place's hexagons */
    var m = map(el), hexagon = L.polygon(rings, { color: "#b02a1a", weight: 2, fillOpacity: 0.08 }).addTo(m);
    JSON.parse(el.dataset.points).forEach(function (p) {
      L.circleMarker([p[0], p[1]], { radius: 6, fill: true, fillOpacity: 0.9, color: "#fff", weight: 1,
                                     fillColor: p[2] ? "#2b8a3e" : "#d9480f" }).addTo(m);
    });
    m.fitBounds(hexagon.getBounds().pad(0.2));
  });
})();
