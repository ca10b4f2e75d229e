/* Phản Ánh's service worker (served at /sw.js, scope /): keeps the app shell so the report page
   opens without a network (the offline draft then keeps the report until the network returns), and
   shows Web Push notifications of a followed report. */
"use strict";
var CACHE = "phananh-shell-v3";
var SHELL = ["/", "/my-reports", "/static/css/app.css", "/static/vendor/leaflet/leaflet.css",
             "/static/vendor/leaflet/leaflet.js", "/static/js/drafts.js", "/static/js/secrets.js",
             "/static/js/photo_shrink.js", "/static/js/photo_picker.js", "/static/js/follow_panel.js",
             "/static/js/report.js", "/static/js/my_reports.js", "/static/js/page_actions.js", "/static/js/app.js",
             "/static/icons/icon-192.png", "/manifest.webmanifest"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {  /* network first; offline: the kept page, else the report page */
    event.respondWith(fetch(request).then(function (response) {
      if (url.pathname === "/" && response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put("/", copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kept) { return kept || caches.match("/"); });
    }));
  } else if (url.pathname.indexOf("/static/") === 0) {  /* the shell's files: kept first */
    event.respondWith(caches.match(request).then(function (kept) { return kept || fetch(request); }));
  }
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {title: event.data.text()}; }
  var actions = data.unsubscribe ? [{action: "unsubscribe", title: data.unsubscribe_label || "Tắt"}] : [];
  event.waitUntil(self.registration.showNotification(data.title || "Phản Ánh", {
    body: data.body || "", icon: "/static/icons/icon-192.png", actions: actions,
    data: {url: data.url || "/", unsubscribe: data.unsubscribe || null}
  }));
});

/* A tap opens the report; the "Tắt" action opens the one-click unsubscribe page instead. */
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var data = event.notification.data;
  event.waitUntil(self.clients.openWindow(event.action === "unsubscribe" && data.unsubscribe ? data.unsubscribe : data.url));
});
