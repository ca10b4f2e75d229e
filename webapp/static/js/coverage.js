/* Service-point coverage: hexagons drawn here from their (i, j) in the ST_HexagonGrid tiling (Web
   Mercator EPSG:3857, flat-topped, edge size_m metres; centre (1.5·s·i, √3·s·(j + (i mod 2)/2))),
   coloured by the distance from their centre to the nearest service point. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19, preferCanvas: true }).setView([16.35, 107.45], 9);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var colours = ["#2b8a3e", "#fab005", "#f76707", "#c92a2a"];
  function band(m) { return m < 2000 ? 0 : m < 5000 ? 1 : m < 10000 ? 2 : 3; }
  var project = L.Projection.SphericalMercator, root3 = Math.sqrt(3);
  var corners = [[-1, 0], [-0.5, -root3 / 2], [0.5, -root3 / 2], [1, 0], [0.5, root3 / 2], [-0.5, root3 / 2]];
  fetch(el.dataset.cells, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (kept) {
    var s = kept.size_m, group = L.featureGroup();
    kept.cells.forEach(function (c) {
      var cx = 1.5 * s * c[0], cy = root3 * s * (c[1] + (c[0] & 1) / 2);
      var ring = corners.map(function (k) { return project.unproject(L.point(cx + k[0] * s, cy + k[1] * s)); });
      L.polygon(ring, { color: colours[band(c[2])], weight: 0.3, fillOpacity: 0.55 })
        .bindPopup(function () {  // a string would be read as HTML: the centre's name goes in as text
          var node = document.createElement("span");
          node.textContent = (c[2] / 1000).toFixed(1) + " km → " + kept.names[c[3]];
          return node;
        }).addTo(group);
    });
    group.addTo(map);
    if (kept.cells.length) { map.fitBounds(group.getBounds()); }
    el.dataset.drawn = String(kept.cells.length);
  });
})();
