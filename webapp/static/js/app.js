/* Every page: register the service worker (offline report page, notifications) and, on a tracking
   page whose reporter's key is known here, offer Web Push ("Nhận thông báo"). */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register("/sw.js").catch(function () {});
  var button = document.getElementById("push-subscribe");
  if (!button || !("PushManager" in window) || !button.dataset.vapid) { return; }
  var code = button.dataset.trackingCode, secret = null;
  try { secret = window.localStorage.getItem("pa-secret:" + code); } catch (e) { secret = null; }
  if (!secret) { return; }
  function key(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("push-status");
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key(button.dataset.vapid)});
    }).then(function (subscription) {
      return fetch("/api/v1/reports/" + code + "/subscriptions", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json",
                  "X-CSRFToken": document.querySelector("meta[name=csrf-token]").content},
        body: JSON.stringify({push: subscription.toJSON(), reporter_secret: secret})
      });
    }).then(function (response) {
      status.textContent = response.ok ? button.dataset.done : button.dataset.failed;
      button.hidden = response.ok;
    }).catch(function () { status.textContent = button.dataset.failed; });
  });
})();
