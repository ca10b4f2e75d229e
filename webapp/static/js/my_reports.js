/* "Phản ánh của tôi": each report this phone sent (secrets.js keeps their codes), with its status and
   its last update, read from the public view of its code (the server learns nothing it does not hold). */
(function () {
  "use strict";
  var T = window.PA_T, lang = document.documentElement.lang, list = document.getElementById("my-reports");
  var when = new Intl.DateTimeFormat(lang, { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
                                             year: "numeric", hour: "2-digit", minute: "2-digit" });
  function fmt(text, values) { return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; }); }
  var mine = window.PASecrets.mine();
  document.getElementById("my-reports-empty").hidden = mine.length > 0;
  mine.forEach(function (item) {
    var li = document.createElement("li"), link = document.createElement("a"), line = document.createElement("div");
    link.href = "/r/" + encodeURIComponent(item.code); link.textContent = item.code; link.className = "code";
    li.appendChild(link); li.appendChild(line); list.appendChild(li);
    line.textContent = fmt(T.sent, { when: when.format(new Date(item.at)) });
    fetch("/api/v1/reports/" + encodeURIComponent(item.code), { headers: { "Accept-Language": lang } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (view) {
        var status = document.createElement("span"), what = document.createElement("span");
        status.className = "status status-" + view.status_type; status.textContent = T.statuses[view.status] || "";
        what.textContent = " · " + (view.category ? view.category.name[lang] || view.category.name.vi : "") +
          (view.ward ? " · " + view.ward.name : "") + " · " + fmt(T.updated, { when: when.format(new Date(view.updated_at)) });
        line.textContent = ""; line.appendChild(status); line.appendChild(what);
      }).catch(function () { line.textContent = T.gone; });
  });
})();
