/* A report at a glance (public view: photo, category, status, ward, day), built with DOM nodes only
   (no HTML from data). Used by the public map's popup and list and by the desk map's popup.
   window.PA_CARD carries the page's words: statuses, lang, today, days. */
(function () {
  "use strict";
  var W = window.PA_CARD, closed = { resolved: 1, rejected: 1, closed: 1 };
  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) { n.className = className; }
    if (text !== undefined && text !== null) { n.textContent = text; }
    return n;
  }
  function day(iso) {
    return new Date(iso).toLocaleDateString(W.lang === "en" ? "en-GB" : "vi-VN",
      { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Asia/Ho_Chi_Minh" });
  }
  function age(iso) {
    var days = Math.floor((Date.now() - new Date(iso).getTime()) / 86400000);
    return days < 1 ? W.today : W.days.replace("{n}", days);
  }
  function card(report) {
    var box = node("div", "report-card"), thumb = report.thumbnail_url || (report.photos && report.photos.length && report.photos[0].thumbnail_url);
    if (thumb) {
      var img = node("img");
      img.src = thumb; img.alt = ""; img.width = 72; img.height = 72;
      box.appendChild(img);
    }
    box.appendChild(node("strong", null, report.category ? report.category.name[W.lang === "en" ? "en" : "vi"] : "—"));
    box.appendChild(node("div", "badge " + (closed[report.status] ? "done" : "open"), W.statuses[report.status] || report.status));
    var ward = report.ward && (report.ward.name || report.ward);
    box.appendChild(node("div", "hint", [ward, day(report.created_at), age(report.created_at)].filter(Boolean).join(" · ")));
    return box;
  }
  window.PA_reportCard = { card: card, node: node, closed: closed };
})();
