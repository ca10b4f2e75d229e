/* The desk map: the queue's reports from the staff vector tiles, coloured by status, overdue ringed
   in red; tabs on a phone. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 });
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
    var p = e.layer.properties, T = window.PA_DESK, node = window.PA_reportCard.node;
    var box = node("div", "desk-card"), open = node("a", "button", T.open);
    open.href = "/desk/reports/" + encodeURIComponent(p.code);
    box.appendChild(node("strong", null, p.code));
    if (p.overdue) { box.appendChild(node("span", "badge overdue", T.overdue)); }
    var actions = node("div", "card-actions");
    actions.appendChild(open);
    /* The desk's first step from the map: accept a new or reopened report (the same form as its page). */
    if (el.dataset.canAct === "1" && (p.status === "received" || p.status === "reopened")) {
      var form = node("form"), token = node("input"), accept = node("button", "secondary", T.accept);
      form.method = "post"; form.action = "/desk/reports/" + encodeURIComponent(p.code) + "/accept";
      token.type = "hidden"; token.name = "csrf_token";
      token.value = document.querySelector('meta[name="csrf-token"]').content;
      accept.type = "submit";
      form.appendChild(token); form.appendChild(accept);
      actions.appendChild(form);
    }
    var popup = L.popup({ minWidth: 200 }).setLatLng(e.latlng).setContent(box).openOn(map);
    fetch("/api/v1/reports/" + encodeURIComponent(p.code), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (report) { box.appendChild(window.PA_reportCard.card(report)); box.appendChild(actions); popup.update(); })
      .catch(function () { box.appendChild(actions); popup.update(); });
  }).addTo(map);
  window.PA_keepViewInAddress(map, function () {
    map.setView(el.dataset.center ? JSON.parse(el.dataset.center) : [16.4637, 107.5909], el.dataset.center ? 14 : 13);
  });
  document.querySelectorAll("[data-tab]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById("list-pane").hidden = button.dataset.tab !== "list-pane";
      document.getElementById("map-pane").hidden = button.dataset.tab !== "map-pane";
      document.querySelectorAll("[data-tab]").forEach(function (other) {  /* which one is open */
        other.setAttribute("aria-pressed", String(other === button));
      });
      map.invalidateSize();
      if (button.dataset.tab === "map-pane") { map.fire("moveend"); }
    });
  });
})();
