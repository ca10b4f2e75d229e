/* Every page: register the service worker (offline report page, notifications); offer Web Push
   ("Nhận thông báo") on a tracking page whose reporter's key is known here, and on the alerts page. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register("/sw.js").catch(function () {});
  function key(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  /* Subscribe this browser and post its PushSubscription, with the fields body() gives, to url. */
  function offerPush(button, status, url, body) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key(button.dataset.vapid)});
      }).then(function (subscription) {
        var fields = body(), headers = {"Content-Type": "application/json"};
        /* The alerts page's token; a tracking page has none: its reporter's secret is the authority. */
        var token = document.querySelector("meta[name=csrf-token]");
        if (token) { headers["X-CSRFToken"] = token.content; }
        fields.push = subscription.toJSON();
        return fetch(url, {method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(fields)});
      }).then(function (response) {
        status.textContent = response.ok ? button.dataset.done : button.dataset.failed;
        button.hidden = response.ok;
      }).catch(function () { status.textContent = button.dataset.failed; });
    });
  }
  if (!("PushManager" in window)) { return; }
  var button = document.getElementById("push-subscribe");
  if (button && button.dataset.vapid) {  /* the tracking page (its reporter, by the secret) or the follow page (anyone) */
    var code = button.dataset.trackingCode, secret = null;
    try { secret = window.localStorage.getItem("pa-secret:" + code); } catch (e) { secret = null; }
    if (secret || button.hasAttribute("data-anyone")) {
      offerPush(button, document.getElementById("push-status"), "/api/v1/reports/" + code + "/subscriptions",
                function () { return secret ? {reporter_secret: secret} : {}; });
    }
  }
  var alertButton = document.getElementById("alert-push");
  if (alertButton && alertButton.dataset.vapid) {  /* the alerts page: new reports in the chosen ward */
    offerPush(alertButton, document.getElementById("alert-push-status"), "/api/v1/alerts", function () {
      return {ward: document.getElementById("alert-ward").value,
              field: document.getElementById("alert-field").value || null,
              digest: document.getElementById("alert-digest").checked};
    });
  }
})();
