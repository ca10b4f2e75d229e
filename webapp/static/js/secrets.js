/* The reporter's secret (see reports/reporter_secret.py): made on the phone before the first try to
   send a report, so a retry carries the same one; kept in localStorage per tracking code; carried
   in the private link /r/CODE#k=SECRET (a fragment never reaches the server or its logs). On the
   tracking page it fills the rate and reopen forms. */
(function () {
  "use strict";
  var PREFIX = "pa-secret:";
  function store(code, secret) {
    try { if (code && secret) { window.localStorage.setItem(PREFIX + code, secret); } } catch (e) { /* private mode */ }
  }
  function load(code) {
    try { return window.localStorage.getItem(PREFIX + code); } catch (e) { return null; }
  }
  window.PASecrets = {
    create: function () {
      var bytes = new Uint8Array(18);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    },
    keep: store,
    privateLink: function (url, secret) { return secret ? url + "#k=" + encodeURIComponent(secret) : url; }
  };
  var page = document.querySelector("[data-tracking-code]");
  if (!page) { return; }
  var code = page.dataset.trackingCode, match = /(?:^#|&)k=([^&]+)/.exec(window.location.hash);
  if (match) {
    store(code, decodeURIComponent(match[1]));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var secret = load(code);
  document.querySelectorAll("input[name=reporter_secret]").forEach(function (input) {
    if (secret) { input.value = secret; input.closest("[data-secret-entry]").hidden = true; }
  });
})();
