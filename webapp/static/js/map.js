/* The public map: report vector tiles (clusters below z15, points above), a tap opening the report,
   and the list of the reports in view that follows the map and the filters. No personal data. */
(function () {
  "use strict";
  var T = window.PA_T, el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 });
  /* The view lives in the address (#zoom/lat/lon): a link shows the same place, Back keeps it. */
  function fromHash() {
    var v = window.location.hash.replace(/^#/, "").split("/").map(Number);
    if (v.length === 3 && v.every(isFinite) && v[0] >= 3 && v[0] <= 19 && Math.abs(v[1]) <= 90 && Math.abs(v[2]) <= 180) {
      map.setView([v[1], v[2]], v[0]);
      return true;
    }
    return false;
  }
  if (!fromHash()) { map.setView([16.4637, 107.5909], 13); }
  window.addEventListener("hashchange", fromHash);
  map.on("moveend", function () {
    var c = map.getCenter(), hash = "#" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
    if (window.location.hash !== hash) { window.history.replaceState(null, "", hash); }
  });
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var closed = { resolved: 1, rejected: 1, closed: 1 };
  var layer = null, listRequest = 0;
  var field = document.getElementById("map-field"), category = document.getElementById("map-category");
  var status = document.getElementById("map-status");

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) { n.className = className; }
    if (text !== undefined && text !== null) { n.textContent = text; }
    return n;
  }
  function day(iso) {
    return new Date(iso).toLocaleDateString(T.lang === "en" ? "en-GB" : "vi-VN",
      { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Asia/Ho_Chi_Minh" });
  }
  function age(iso) {
    var days = Math.floor((Date.now() - new Date(iso).getTime()) / 86400000);
    return days < 1 ? T.today : T.days.replace("{n}", days);
  }
  function query() {
    var q = [];
    if (field.value) { q.push("field=" + encodeURIComponent(field.value)); }
    if (category.value) { q.push("category=" + encodeURIComponent(category.value)); }
    if (status.value) { q.push("status=" + encodeURIComponent(status.value)); }
    return q.join("&");
  }

  /* Radii of 11 px and more: a finger's target (22 px across), and Leaflet treats a circle of 10 px or
     less as a marker whose position it asks for, which VectorGrid's points do not have (the click then
     throws "Cannot read properties of undefined (reading 'lat')", Leaflet.VectorGrid issue #148). */
  function style(p) {
    if (p.count !== undefined) {  // a cluster: size by count, orange while any is open
      var r = Math.min(11 + Math.sqrt(p.count) * 1.5, 28);
      return { radius: r, fill: true, fillColor: p.open ? "#d9480f" : "#2b8a3e", fillOpacity: 0.7, color: "#fff", weight: 1 };
    }
    var done = closed[p.status];
    return { radius: 11, fill: true, fillColor: done ? "#2b8a3e" : "#d9480f", fillOpacity: 0.85, color: "#fff", weight: 2 };
  }

  /* The popup of one report: what the public page shows at a glance, with its link. */
  function card(report, linked) {
    var box = node("div", "report-card");
    if (report.thumbnail_url || (report.photos && report.photos.length)) {
      var img = node("img");
      img.src = report.thumbnail_url || report.photos[0].thumbnail_url;
      img.alt = ""; img.width = 96; img.height = 96;
      box.appendChild(img);
    }
    var category = report.category ? report.category.name[T.lang === "en" ? "en" : "vi"] : "—";
    box.appendChild(node("strong", null, category));
    box.appendChild(node("div", "badge " + (closed[report.status] ? "done" : "open"), T.statuses[report.status] || report.status));
    box.appendChild(node("div", "hint", [report.ward && (report.ward.name || report.ward), day(report.created_at), age(report.created_at)]
      .filter(Boolean).join(" · ")));
    if (linked) {
      var link = node("a", null, T.details);
      link.href = report.url;
      box.appendChild(link);
    }
    return box;
  }

  function load() {
    if (layer) { map.removeLayer(layer); }
    var q = query();
    layer = L.vectorGrid.protobuf("/tiles/reports/{z}/{x}/{y}.pbf" + (q ? "?" + q : ""), {
      vectorTileLayerStyles: { reports: style }, interactive: true, maxNativeZoom: 18,
      getFeatureId: function () { return undefined; }
    }).on("click", function (e) {
      var p = e.layer.properties;
      if (p.count !== undefined && p.count > 1 && map.getZoom() < 18) {  // a cluster opens by zooming in
        map.setView(e.latlng, Math.min(map.getZoom() + 2, 18));
        return;
      }
      if (p.count !== undefined || !p.code) {
        L.popup().setLatLng(e.latlng).setContent(String(p.count || 1) + " · " + (p.open ? T.open : T.closed)).openOn(map);
        return;
      }
      var popup = L.popup({ minWidth: 180 }).setLatLng(e.latlng).setContent(T.loading).openOn(map);
      fetch("/api/v1/reports/" + encodeURIComponent(p.code), { headers: { "Accept-Language": T.lang } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (report) { popup.setContent(card(report, true)); })
        .catch(function () { popup.setContent(p.category + " · " + (closed[p.status] ? T.closed : T.open)); });
    }).addTo(map);
    document.getElementById("map-count").textContent = T.count;
    list();
  }

  /* The list beside the map: the newest updates among the reports in view (public API). */
  function list() {
    var b = map.getBounds(), mine = ++listRequest, q = query();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
    var out = document.getElementById("recent"), said = document.getElementById("recent-status");
    fetch("/api/v1/reports/recent?limit=20&bbox=" + bbox + (q ? "&" + q : ""))
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (body) {
        if (mine !== listRequest) { return; }  // a newer view was asked for meanwhile
        out.textContent = "";
        body.reports.forEach(function (report) {
          var item = node("li", "recent-item"), link = node("a");
          link.href = report.url;
          var shown = card(report, false);
          if (report.answer) { shown.appendChild(node("p", "answer", T.answer + " " + report.answer)); }
          else if (report.description) { shown.appendChild(node("p", "description", report.description)); }
          link.appendChild(shown);
          item.appendChild(link);
          item.dataset.code = report.tracking_code;
          out.appendChild(item);
        });
        said.textContent = body.reports.length ? T.shown.replace("{n}", body.reports.length) : T.none;
        el.dataset.listed = String(body.reports.length);
      })
      .catch(function () { if (mine === listRequest) { said.textContent = T.failed; } });
  }

  category.addEventListener("change", load);
  status.addEventListener("change", load);
  field.addEventListener("change", function () {
    Array.prototype.forEach.call(category.options, function (o) {  // categories of the chosen field only
      o.hidden = Boolean(field.value && o.value && o.dataset.field !== field.value);
    });
    if (category.selectedOptions[0] && category.selectedOptions[0].hidden) { category.value = ""; }
    load();
  });
  map.on("moveend", list);
  L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
    vectorTileLayerStyles: { wards: { weight: 1, color: "#2a6f97", fill: false } }, maxNativeZoom: 16
  }).addTo(map);
  load();
})();
