/* The desk map: the queue's reports, coloured by status and overdue, clustered; tabs on a phone. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 }).setView([16.4637, 107.5909], 12);
  var colour = { received: "#d9480f", accepted: "#f59f00", assigned: "#1971c2", in_progress: "#7048e8",
                 reopened: "#c2255c", resolved: "#2b8a3e", rejected: "#868e96", closed: "#495057" };
  var cluster = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 50 }).addTo(map);
  fetch(el.dataset.points).then(function (r) { return r.json(); }).then(function (body) {
    var markers = body.points.map(function (p) {
      var m = L.circleMarker([p[0], p[1]], { radius: p[4] ? 9 : 6, weight: p[4] ? 3 : 1,
        color: p[4] ? "#c92a2a" : colour[p[2]] || "#333", fillColor: colour[p[2]] || "#333", fillOpacity: 0.85 });
      var link = document.createElement("a");
      link.href = "/desk/reports/" + p[3]; link.textContent = p[3] + " · " + p[2];
      return m.bindPopup(link);
    });
    cluster.addLayers(markers);
    if (markers.length) { map.fitBounds(cluster.getBounds(), { maxZoom: 16 }); }
    document.getElementById("map").dataset.count = markers.length;
  });
  document.querySelectorAll("[data-tab]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById("list-pane").hidden = button.dataset.tab !== "list-pane";
      document.getElementById("map-pane").hidden = button.dataset.tab !== "map-pane";
      map.invalidateSize();
    });
  });
})();
