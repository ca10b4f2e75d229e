/* The public map: report points clustered in the browser (no personal data is ever sent). */
(function () {
  "use strict";
  var T = window.PA_T, el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 }).setView([16.4637, 107.5909], 12);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var closed = { resolved: 1, rejected: 1, closed: 1 };
  var cluster = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 60 }).addTo(map);

  function load() {
    var category = document.getElementById("map-category").value;
    fetch("/api/v1/reports/map" + (category ? "?category=" + encodeURIComponent(category) : ""))
      .then(function (r) { return r.json(); })
      .then(function (body) {
        cluster.clearLayers();
        var markers = body.points.map(function (p) {
          var done = closed[p[2]];
          var m = L.circleMarker([p[0], p[1]], { radius: 6, weight: 1, color: done ? "#2b8a3e" : "#d9480f", fillOpacity: 0.8 });
          m.bindPopup('<a href="/r/' + p[4] + '">' + p[4] + "</a><br>" + p[3] + " · " + (done ? T.closed : T.open));
          return m;
        });
        cluster.addLayers(markers);
        document.getElementById("map-count").textContent = T.count.replace("%(n)s", body.points.length);
      });
  }
  document.getElementById("map-category").addEventListener("change", load);
  load();
})();
