/* The service-point locator: nearest centres by geodesic distance, with opening status now. */
(function () {
  "use strict";
  var T = window.PA_T, el = document.getElementById("map");
  var map = L.map(el, { maxZoom: 19 }).setView([16.4637, 107.5909], 13);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var layer = L.layerGroup().addTo(map), here = null, last = null;

  // A popup's string is HTML to Leaflet: names come from imported files, so they go in as text.
  function textOnly(text) {
    return function () { var node = document.createElement("span"); node.textContent = text; return node; };
  }

  function km(m) { return m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(1) + " km"; }

  function render(body) {
    var list = document.getElementById("points");
    list.innerHTML = ""; layer.clearLayers();
    if (!body.points.length) {  // with "open now" ticked, say so: centres are near, just not open yet
      var empty = document.createElement("li");
      empty.textContent = document.getElementById("open-now").checked ? T.none_open : T.none;
      list.appendChild(empty);
      return;
    }
    body.points.forEach(function (p) {
      var li = document.createElement("li"), status = p.open_now === true ? T.open : p.open_now === false ? T.closed : T.unknown;
      var name = document.createElement("strong"); name.textContent = p.name; li.appendChild(name);
      var info = document.createElement("div");
      info.innerHTML = '<span class="' + (p.open_now ? "open" : "shut") + '"></span> · <span class="dist"></span>';
      info.firstChild.textContent = status + (p.hours_assumed ? " (" + T.assumed + ")" : "");
      info.lastChild.textContent = T.away.replace("%(d)s", km(p.distance_m));
      li.appendChild(info);
      var address = document.createElement("div"); address.textContent = p.address; li.appendChild(address);
      var actions = document.createElement("div"); actions.className = "actions";
      if (p.phone) { var call = document.createElement("a"); call.href = "tel:" + p.phone; call.textContent = T.call; actions.appendChild(call); }
      var go = document.createElement("a"); go.href = p.directions_url; go.textContent = T.directions; go.rel = "noopener"; go.target = "_blank";
      actions.appendChild(go); li.appendChild(actions); list.appendChild(li);
      L.circleMarker([p.lat, p.lon], { radius: 8, color: "#0b5394" }).bindPopup(textOnly(p.name)).addTo(layer);
    });
    document.getElementById("attribution").textContent = T.locations + " " +
      body.attribution.map(function (a) { return a.licence; }).join("; ");
  }

  function search(lat, lon) {
    last = [lat, lon];
    if (!here) { here = L.marker([lat, lon]).addTo(map); } else { here.setLatLng([lat, lon]); }
    var open = document.getElementById("open-now").checked ? "&open_now=true" : "";
    fetch("/api/v1/service-points/nearest?limit=5&lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6) + open,
          { headers: { "Accept-Language": document.documentElement.lang } })
      .then(function (r) { return r.json(); }).then(function (body) { if (body.points) { render(body); } });
  }
  map.on("click", function (e) { search(e.latlng.lat, e.latlng.lng); });
  document.getElementById("open-now").addEventListener("change", function () { if (last) { search(last[0], last[1]); } });
  document.getElementById("locate-me").addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      map.setView([pos.coords.latitude, pos.coords.longitude], 14);
      search(pos.coords.latitude, pos.coords.longitude);
    });
  });
})();
