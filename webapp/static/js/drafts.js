/* A report written without network stays on the phone (IndexedDB, photos included) until sent. */
(function () {
  "use strict";
  var DB = "phananh", STORE = "drafts";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  window.PADrafts = {
    save: function (draft) { return run("readwrite", function (s) { return s.put(draft, "pending"); }); },
    load: function () { return run("readonly", function (s) { return s.get("pending"); }); },
    clear: function () { return run("readwrite", function (s) { return s.delete("pending"); }); }
  };
})();
