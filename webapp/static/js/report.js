/* The reporting page: place the pin, see the ward, check duplicates, send (idempotently, or later).
   Every problem of the form is said at once beside its field (the first one focused) and goes away
   when fixed; the done page says what happens next. */
(function () {
  "use strict";
  var T = window.PA_T;
  var $ = function (id) { return document.getElementById(id); };
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var lang = document.documentElement.lang;
  var state = { lat: null, lon: null, ward: null, key: null };

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  var mapEl = $("map");
  var map = L.map(mapEl, { zoomControl: true }).setView([16.4637, 107.5909], 13);
  L.control.scale({ imperial: false }).addTo(map);
  if (mapEl.dataset.basemap) { L.tileLayer(mapEl.dataset.basemap, { maxZoom: 19, attribution: mapEl.dataset.attribution }).addTo(map); }
  var area = L.featureGroup().addTo(map);  /* the wards that receive reports: where the map comes back to */
  (mapEl.dataset.provinces || "").split(",").filter(Boolean).forEach(function (province) {
    fetch("/api/v1/wards?province=" + encodeURIComponent(province) + "&simplify=30").then(function (r) { return r.json(); }).then(function (fc) {
      L.geoJSON(fc, { style: { color: "#2a6f97", weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(area);
    }).catch(function () {});
  });
  var marker = null;

  /* One message beside each field; the first field with one is focused. */
  var FIELDS = ["place", "category", "description", "photos"];
  function setError(field, message) {
    var box = $("err-" + field), input = { place: mapEl, category: $("category"), description: $("description"), photos: $("photos") }[field];
    box.textContent = message || ""; box.hidden = !message;
    if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
  function showErrors(errors) {
    FIELDS.forEach(function (field) { setError(field, errors[field]); });
    var first = FIELDS.filter(function (field) { return errors[field]; })[0];
    if (first === "place") { $("locate-me").focus(); mapEl.scrollIntoView({ block: "center" }); }
    else if (first) { $(first).focus(); }
  }
  var MAX = parseInt($("description").dataset.max, 10), number = new Intl.NumberFormat(lang);
  function formErrors() {
    var errors = {}, text = $("description").value.trim();
    if (state.lat === null) { errors.place = T.choose_place; } else if (!state.ward) { errors.place = T.outside; }
    if (!$("category").value) { errors.category = T.choose_category; }
    if (!text) { errors.description = T.describe; }
    else if (text.length > MAX) { errors.description = fmt(T.too_long, { n: number.format(text.length) }); }
    return errors;
  }
  function recheck(field) {  /* a field that was marked is cleared as soon as it is right */
    if (!$("err-" + field).hidden) { setError(field, formErrors()[field]); }
  }
  function count() {
    var n = $("description").value.trim().length;
    $("description-count").textContent = number.format(n) + " / " + number.format(MAX);
    $("description-count").classList.toggle("over", n > MAX);
    recheck("description");
  }
  $("description").addEventListener("input", count);
  $("category").addEventListener("change", function () { recheck("category"); });
  count();

  function placePin(lat, lon) {
    state.lat = lat; state.lon = lon; state.ward = null;
    if (!marker) {
      marker = L.marker([lat, lon], { draggable: true }).addTo(map);
      marker.on("dragend", function () { var p = marker.getLatLng(); placePin(p.lat, p.lng); });
    } else { marker.setLatLng([lat, lon]); }
    $("ward-status").textContent = T.checking;
    $("ward-status").className = "ward";
    fetch("/api/v1/locate?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6), { headers: { "Accept-Language": lang } })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (res) {
        if (res.status === 200) {
          state.ward = res.body.ward;
          $("ward-status").textContent = fmt(T.will_receive, { ward: res.body.ward.name });
          $("ward-status").className = "ward ok";
          setError("place", null);
        } else {
          $("ward-status").textContent = res.body.error.code === "outside_service_area" ? T.outside : res.body.error.message;
          $("ward-status").className = "ward bad";
          if (area.getLayers().length) { map.flyToBounds(area.getBounds(), { padding: [10, 10] }); }
        }
      }).catch(function () { $("ward-status").textContent = ""; });
  }
  map.on("click", function (e) { placePin(e.latlng.lat, e.latlng.lng); });
  function form() { return { description: $("description").value, email: $("email").value }; }

  $("locate-me").addEventListener("click", function () {
    if (!navigator.geolocation) { $("ward-status").textContent = T.no_geolocation; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var c = pos.coords;
      map.setView([c.latitude, c.longitude], 17);
      placePin(c.latitude, c.longitude);
      $("accuracy").hidden = false;
      $("accuracy").textContent = fmt(T.accuracy, { m: Math.round(c.accuracy) });
    }, function () { $("ward-status").textContent = T.no_geolocation; }, { enableHighAccuracy: true, timeout: 15000 });
  });

  var photos = window.PAPhotoPicker({ input: $("photos"), list: $("photo-list"), status: $("photo-status"),
                                      error: $("err-photos"), T: T });

  function collect(acknowledge) {
    var form = $("report-form");
    if (!state.key) { state.key = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()); }
    if (!state.secret) { state.secret = window.PASecrets.create(); }
    return {
      key: state.key,
      fields: {
        reporter_secret: state.secret,
        category: form.category.value, description: form.description.value,
        lat: String(state.lat), lon: String(state.lon), name: form.name.value, phone: form.phone.value,
        email: form.email.value, hide_identity: form.hide_identity.checked ? "true" : "false",
        acknowledge_duplicate: acknowledge ? "true" : "false"
      },
      photos: []
    };
  }

  /* Photos are made smaller as soon as they are chosen (photo_picker.js); a draft waits for that. */
  function withPhotos(draft) {
    return photos.files().then(function (files) { draft.photos = files; return draft; });
  }

  /* Sent with XMLHttpRequest for its upload progress (fetch has none); the answer as {status, body}.
     A network failure rejects, and the draft is kept for later. */
  function post(draft) {
    var data = new FormData();
    Object.keys(draft.fields).forEach(function (k) { data.append(k, draft.fields[k]); });
    draft.photos.forEach(function (file) { data.append("photos", file, file.name || "photo.jpg"); });
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest(), bar = $("send-progress");
      xhr.open("POST", "/api/v1/reports");
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Idempotency-Key", draft.key);
      xhr.setRequestHeader("Accept-Language", lang);
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) { return; }
        var pct = Math.round(100 * e.loaded / e.total);
        bar.hidden = false; bar.value = pct;
        $("submit").textContent = T.sending + " " + pct + " %";
      };
      xhr.onload = function () {
        bar.hidden = true;
        var body;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = xhr.ontimeout = function () { bar.hidden = true; reject(new Error("network")); };
      xhr.send(data);
    });
  }

  function showError(message) { $("form-error").hidden = false; $("form-error").textContent = message; }
  /* The server's refusal, beside the field it is about. */
  var FIELD_OF = { unknown_category: "category", description_required: "description", description_too_long: "description",
                   too_many_photos: "photos", photo_type: "photos", photo_too_large: "photos",
                   outside_service_area: "place", invalid_coordinates: "place" };
  function showRefusal(error) {
    var field = FIELD_OF[error.reason || ""] || FIELD_OF[error.code];
    if (field) { var errors = {}; errors[field] = error.message; showErrors(errors); } else { showError(error.message); }
  }
  var day = new Intl.DateTimeFormat(lang, { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit",
                                            day: "2-digit", month: "2-digit", year: "numeric" });

  function showDone(body) {
    window.PADrafts.clear().catch(function () {});
    state.key = null; state.secret = null;
    window.PASecrets.keep(body.tracking_code, body.reporter_secret);
    $("report-step").hidden = true; $("draft-step").hidden = true; $("done-step").hidden = false;
    $("tracking-code").textContent = body.tracking_code;
    $("done-ward").textContent = fmt(T.will_receive, { ward: body.ward.name });
    var ack = body.acknowledge_by && day.format(new Date(body.acknowledge_by));
    var answer = body.answer_by && day.format(new Date(body.answer_by));
    if (ack && ack === answer) {  // one deadline for both: said once
      $("done-ack").textContent = fmt(T.acknowledge_and_answer_by, { when: ack });
      $("done-answer").hidden = true;
    } else {
      $("done-ack").textContent = ack ? fmt(T.acknowledge_by, { when: ack }) : "";
      $("done-answer").textContent = answer ? fmt(T.answer_by, { when: answer }) : "";
      $("done-answer").hidden = !answer;
    }
    var link = window.PASecrets.privateLink(body.url, body.reporter_secret);
    $("track-link").href = link;
    window.PASecrets.share($("share-private-done"), link);
    photos.clear();
    window.scrollTo(0, 0);
    showNearestCentre();
  }

  function showNearestCentre() {
    fetch("/api/v1/service-points/nearest?limit=1&lat=" + state.lat.toFixed(6) + "&lon=" + state.lon.toFixed(6),
          { headers: { "Accept-Language": lang } })
      .then(function (r) { return r.json(); }).then(function (body) {
        var p = body.points && body.points[0];
        if (!p) { return; }
        $("nearest-centre").textContent = fmt(T.nearest_centre, { name: p.name, address: p.address, m: Math.round(p.distance_m) });
        $("nearest-centre").hidden = false;
      }).catch(function () {});
  }

  /* Look-alike reports nearby: each with its photo, state, day (four-digit year, Vietnam time) and
     distance, numbered on the map beside the new pin, so the resident can tell them apart. */
  var lookAlikes = L.layerGroup().addTo(map);
  function showDuplicates(candidates) {
    var list = $("duplicate-list"), bounds = [[state.lat, state.lon]];
    list.textContent = "";
    lookAlikes.clearLayers();
    candidates.forEach(function (c, k) {
      var li = document.createElement("li"), text = document.createElement("span"), button = document.createElement("button");
      var meta = document.createElement("small"), view = document.createElement("a"), number = document.createElement("span");
      number.className = "look-alike-number"; number.textContent = String(k + 1);
      li.appendChild(number);
      if (c.thumbnail_url) {
        var img = document.createElement("img");
        img.src = c.thumbnail_url; img.alt = ""; img.width = 64; img.height = 64; img.className = "look-alike-photo";
        li.appendChild(img);
      }
      text.textContent = c.description;
      meta.textContent = (T.statuses[c.status] || c.status) + " · " + new Date(c.created_at).toLocaleDateString(
        document.documentElement.lang, { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" }) +
        " · " + fmt(T.meters, { m: Math.round(c.distance_m) });
      meta.className = "duplicate-meta";
      view.href = c.url; view.target = "_blank"; view.rel = "noopener"; view.textContent = T.see_report;
      button.type = "button"; button.className = "secondary"; button.textContent = T.follow_this;
      button.addEventListener("click", function () {
        fetch("/api/v1/reports/" + c.tracking_code + "/support", { method: "POST", headers: { "X-CSRFToken": csrf } })
          .then(function (r) { return r.json(); })
          .then(function (body) { button.hidden = true; li.appendChild(window.PAFollowPanel(c, body.support_count, T, csrf, form())); });
      });
      li.appendChild(text); li.appendChild(document.createElement("br")); li.appendChild(meta);
      li.appendChild(document.createTextNode(" · ")); li.appendChild(view); li.appendChild(button); list.appendChild(li);
      L.marker([c.lat, c.lon], { keyboard: false, interactive: false,
        icon: L.divIcon({ className: "look-alike-marker", html: String(k + 1), iconSize: [26, 26] }) }).addTo(lookAlikes);
      bounds.push([c.lat, c.lon]);
    });
    map.fitBounds(bounds, { padding: [40, 40], maxZoom: 19 });
    $("duplicates").hidden = false;
  }

  function send(draft) {
    $("submit").disabled = true; $("submit").textContent = T.sending;
    return post(draft).then(function (res) {
      $("submit").disabled = false; $("submit").textContent = $("submit").dataset.label;
      if (res.status === 200 || res.status === 201) { showDone(res.body); }
      else if (res.status === 409 && res.body.error.code === "possible_duplicate") { showDuplicates(res.body.error.candidates); }
      else if (res.body.error) { showRefusal(res.body.error); }
      else { showError(T.error); }
    }).catch(function () {
      /* no network (or it dropped): keep the draft, same key, and send it when the network returns */
      $("submit").disabled = false; $("submit").textContent = $("submit").dataset.label;
      return window.PADrafts.save(draft).then(function () { $("draft-step").hidden = false; });
    });
  }

  $("submit").dataset.label = $("submit").textContent;
  $("report-form").addEventListener("submit", function (e) {
    e.preventDefault();
    $("form-error").hidden = true;
    var errors = formErrors();
    showErrors(errors);
    if (Object.keys(errors).length) { return; }
    $("submit").disabled = true;
    withPhotos(collect(false)).then(send);
  });
  $("not-duplicate").addEventListener("click", function () {
    $("duplicates").hidden = true;
    withPhotos(collect(true)).then(send);
  });

  function flushDraft() {
    return window.PADrafts.load().then(function (draft) {
      if (!draft) { return; }
      $("draft-step").hidden = false;
      if (!navigator.onLine) { return; }
      $("draft-status").textContent = T.draft_sending;
      state.key = draft.key; state.secret = draft.fields.reporter_secret;
      state.lat = parseFloat(draft.fields.lat); state.lon = parseFloat(draft.fields.lon);
      return send(draft);
    }).catch(function () {});
  }
  window.addEventListener("online", flushDraft);
  flushDraft();
})();
