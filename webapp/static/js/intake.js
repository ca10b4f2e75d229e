/* The desk's intake of a report received by phone, fanpage, Zalo or in person: the place found by the
   words the caller uses (wards, service centres: /desk/places.json) or tapped on the map; the pin says
   which ward will handle it (/api/v1/locate). */
(function () {
  "use strict";
  var T = window.PA_INTAKE, $ = function (id) { return document.getElementById(id); };
  var el = $("intake-map"), map = L.map(el, { maxZoom: 19 }).setView([16.4637, 107.5909], 12), pin = null, asked = 0;
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  L.control.scale({ imperial: false }).addTo(map);

  function place(lat, lon) {
    $("lat").value = lat.toFixed(6); $("lon").value = lon.toFixed(6);
    if (!pin) { pin = L.marker([lat, lon], { draggable: true }).addTo(map); pin.on("dragend", function () { var p = pin.getLatLng(); place(p.lat, p.lng); }); }
    else { pin.setLatLng([lat, lon]); }
    $("intake-ward").textContent = T.checking;
    fetch("/api/v1/locate?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6), { headers: { "Accept-Language": document.documentElement.lang } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        $("intake-ward").textContent = res.ok ? T.will_receive.replace("%(ward)s", res.body.ward.name) : res.body.error.message;
        $("intake-ward").className = "ward " + (res.ok ? "ok" : "bad");
      });
  }
  map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
  if ($("lat").value && $("lon").value) {  // kept from a refused attempt
    map.setView([parseFloat($("lat").value), parseFloat($("lon").value)], 17);
    place(parseFloat($("lat").value), parseFloat($("lon").value));
  }

  var timer = null;
  $("place-search").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  function search() {
    var q = $("place-search").value.trim(), mine = ++asked, list = $("place-results");
    if (q.length < 2) { list.textContent = ""; return; }
    fetch("/desk/places.json?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.json(); }).then(function (body) {
        if (mine !== asked) { return; }
        list.textContent = "";
        if (!body.places.length) { var none = document.createElement("li"); none.textContent = T.none; list.appendChild(none); }
        body.places.forEach(function (p) {
          var li = document.createElement("li"), pick = document.createElement("button");
          pick.type = "button"; pick.className = "secondary place-pick"; pick.setAttribute("role", "option");
          pick.textContent = p.name + (p.address ? " — " + p.address : "");
          pick.addEventListener("click", function () {
            map.setView([p.lat, p.lon], p.kind === "ward" ? 15 : 18);
            place(p.lat, p.lon);
            list.textContent = "";
            $("place-search").value = p.name;
          });
          li.appendChild(pick); list.appendChild(li);
        });
      });
  }
})();
