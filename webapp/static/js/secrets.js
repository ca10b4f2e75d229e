/* The reporter's secret (see reports/workflow/reporter_secret.py): made on the phone before the first
   try to send a report, so a retry carries the same one; kept in localStorage per tracking code; carried
   in the private link /r/CODE#k=SECRET (a fragment never reaches the server or its logs).
   This phone's reports ("Phản ánh của tôi") are the codes it holds a secret for, listed in pa-mine.
   On a tracking page: the secret fills the rate and reopen forms, shows what only the reporter may do
   ([data-reporter-only]) instead of what anyone may ([data-not-reporter]), and a [data-share-private]
   button shares or copies the private link. */
(function () {
  "use strict";
  var PREFIX = "pa-secret:", MINE = "pa-mine";
  function mine() {
    try { return JSON.parse(window.localStorage.getItem(MINE) || "[]"); } catch (e) { return []; }
  }
  function store(code, secret) {
    try {
      if (!code || !secret) { return; }
      window.localStorage.setItem(PREFIX + code, secret);
      var list = mine().filter(function (item) { return item.code !== code; });
      list.unshift({ code: code, at: new Date().toISOString() });
      window.localStorage.setItem(MINE, JSON.stringify(list.slice(0, 200)));
    } catch (e) { /* private mode: nothing is kept */ }
  }
  function load(code) {
    try { return window.localStorage.getItem(PREFIX + code); } catch (e) { return null; }
  }
  function privateLink(url, secret) {
    var absolute = url.indexOf("http") === 0 ? url : window.location.origin + url;
    return secret ? absolute + "#k=" + encodeURIComponent(secret) : absolute;
  }
  /* Share (the phone's own sheet: Zalo, Messenger, mail…) or, where there is none, copy. */
  function share(button, link) {
    var status = document.getElementById(button.dataset.status);
    function say(text) { if (status) { status.textContent = text; } }
    button.addEventListener("click", function () {
      if (navigator.share) {
        navigator.share({ title: document.title, url: link }).catch(function () {});
        return;
      }
      if (navigator.clipboard) {
        navigator.clipboard.writeText(link).then(function () { say(button.dataset.copied); },
                                                 function () { say(link); });
      } else { say(link); }
    });
  }
  window.PASecrets = {
    create: function () {
      var bytes = new Uint8Array(18);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    },
    keep: store, load: load, mine: mine, privateLink: privateLink, share: share
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
    if (secret) {
      input.value = secret;
      var entry = input.closest("[data-secret-entry]");
      if (entry) { entry.hidden = true; }
    }
  });
  document.querySelectorAll("[data-reporter-only]").forEach(function (el) { el.hidden = !secret; });
  document.querySelectorAll("[data-not-reporter]").forEach(function (el) { el.hidden = !!secret; });
  document.querySelectorAll("[data-share-private]").forEach(function (button) {
    if (secret) { share(button, privateLink(window.location.pathname, secret)); }
  });
})();
