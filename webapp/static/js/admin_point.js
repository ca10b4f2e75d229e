/* The service point form's map: the pin is the point's place; a tap or a drag moves it and fills the form. */
(function () {
  "use strict";
  var el = document.getElementById("point-map"), lat = document.getElementById("lat"), lon = document.getElementById("lon");
  var here = [parseFloat(lat.value), parseFloat(lon.value)];
  var map = L.map(el, { maxZoom: 19 }).setView(here, 16);
  if (el.dataset.basemap) { L.tileLayer(el.dataset.basemap, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map); }
  var pin = L.marker(here, { draggable: true }).addTo(map);
  function place(ll) {
    pin.setLatLng(ll);
    lat.value = ll.lat.toFixed(6); lon.value = ll.lng.toFixed(6);
    document.getElementById("place-text").textContent = lat.value + ", " + lon.value;
  }
  pin.on("dragend", function () { place(pin.getLatLng()); });
  map.on("click", function (e) { place(e.latlng); });
  place(pin.getLatLng());
})();
