/* How reports look on the public maps (map.js, ward_map.js): a cluster is a disc with its count, 44 px
   across at least (a finger's target; WCAG 2.5.5), bigger with the count, orange while any report in it
   is open — an SVG image that VectorGrid draws as the point's icon; a report is a dot of 22 px with an
   invisible ring that makes its target 44 px across. (Radii of 11 px and more: Leaflet takes a circle of
   10 px or less for a marker whose position it asks for, which VectorGrid's points do not have;
   Leaflet.VectorGrid issue #148.) */
(function () {
  "use strict";
  var lang = document.documentElement.lang, icons = {};
  var plain = new Intl.NumberFormat(lang), compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  var OPEN = "#d9480f", CLOSED = "#2b8a3e";

  function cluster(count, open) {
    var key = count + (open ? "o" : "c");
    if (!icons[key]) {
      var d = Math.round(Math.min(44 + Math.sqrt(count) * 1.5, 64)), label = count < 1000 ? plain.format(count) : compact.format(count);
      var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + d + '" height="' + d + '"><circle cx="' + d / 2 + '" cy="' +
        d / 2 + '" r="' + (d / 2 - 2) + '" fill="' + (open ? OPEN : CLOSED) + '" fill-opacity="0.85" stroke="#fff" stroke-width="2"/>' +
        '<text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" font-family="sans-serif" font-size="15" ' +
        'font-weight="700" fill="#fff">' + label + "</text></svg>";
      icons[key] = { icon: L.icon({ iconUrl: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg), iconSize: [d, d] }),
                     radius: d / 2 };  /* the radius too: a feature of 10 px or less throws on a tap (see above) */
    }
    return icons[key];
  }

  window.PA_mapMarks = {
    /* The VectorGrid style of a report or a cluster; ``open`` says whether a report's status is open. */
    style: function (p, open) {
      if (p.count !== undefined) { return cluster(p.count, Boolean(p.open)); }
      return { radius: 11, fill: true, fillColor: open ? OPEN : CLOSED, fillOpacity: 0.9, color: "#fff", opacity: 0.01, weight: 22 };
    }
  };
})();
