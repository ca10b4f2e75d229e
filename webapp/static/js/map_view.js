/* A map's view kept in the address (#zoom/lat/lon): a link shows the same place, a reload keeps it,
   and changing the address moves the map. Used by the public map and the desk map. */
(function () {
  "use strict";
  window.PA_keepViewInAddress = function (map, fallback) {
    function fromHash() {
      var v = window.location.hash.replace(/^#/, "").split("/").map(Number);
      if (v.length === 3 && v.every(isFinite) && v[0] >= 3 && v[0] <= 19 && Math.abs(v[1]) <= 90 && Math.abs(v[2]) <= 180) {
        map.setView([v[1], v[2]], v[0]);
        return true;
      }
      return false;
    }
    if (!fromHash()) { fallback(); }
    window.addEventListener("hashchange", fromHash);
    map.on("moveend", function () {
      var c = map.getCenter(), hash = "#" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
      if (window.location.hash !== hash) { window.history.replaceState(null, "", hash); }
    });
  };
})();
