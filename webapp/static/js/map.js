/* The public map: report vector tiles (clusters below z15, points above), a tap opening the report,
   and the list of the reports in view that follows the map and the filters. No personal data. */
(function () {
  "use strict";
  var T = window.PA_T, el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 });
  window.PA_keepViewInAddress(map, function () { map.setView([16.4637, 107.5909], 13); });
  var closed = { resolved: 1, rejected: 1, closed: 1 };
  var layer = null, listRequest = 0;
  var field = document.getElementById("map-field"), category = document.getElementById("map-category");
  var status = document.getElementById("map-status");

  var node = window.PA_reportCard.node;
  function query() {
    var q = [];
    if (field.value) { q.push("field=" + encodeURIComponent(field.value)); }
    if (category.value) { q.push("category=" + encodeURIComponent(category.value)); }
    if (status.value) { q.push("status=" + encodeURIComponent(status.value)); }
    return q.join("&");
  }

  function style(p) { return window.PA_mapMarks.style(p, !closed[p.status]); }

  /* The popup of one report: what the public page shows at a glance, with its link. */
  function card(report, linked) {
    var box = window.PA_reportCard.card(report);
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
      if (p.count === 1 && p.code) { p = { code: p.code }; }  // a cluster of one is its report: its card opens
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
  L.control.scale({ imperial: false }).addTo(map);
  L.vectorGrid.protobuf("/tiles/wards/{z}/{x}/{y}.pbf", {
    vectorTileLayerStyles: { wards: { weight: 1, color: "#2a6f97", fill: false } }, maxNativeZoom: 16
  }).addTo(map);
  load();
})();
