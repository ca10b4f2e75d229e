/* The duplicate prompt's "Theo dõi phản ánh này": the support is counted; then the resident is thanked
   with the count, may follow the report by email, may give the ward what they had written (for its
   staff only), or may still send their own report ("No, mine is different"). */
(function () {
  "use strict";
  function fmt(text, values) { return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; }); }
  function el(tag, text, cls) { var node = document.createElement(tag); if (text) { node.textContent = text; } if (cls) { node.className = cls; } return node; }

  window.PAFollowPanel = function (candidate, supporters, T, csrf, typed) {
    var panel = el("div", null, "follow-panel"), status = el("p", null, "hint");
    status.setAttribute("role", "status");
    panel.appendChild(el("p", fmt(T.thanks_supporters, { n: supporters.toLocaleString(document.documentElement.lang) }), "ok"));
    var form = el("form"), label = el("label", T.follow_by_email), input = el("input"), send = el("button", T.follow_button);
    input.type = "email"; input.required = true; input.autocomplete = "email"; input.value = typed.email || "";
    input.id = "follow-email-" + candidate.tracking_code; label.htmlFor = input.id;
    send.type = "submit"; send.className = "secondary";
    form.appendChild(label); form.appendChild(input); form.appendChild(send);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      post("/api/v1/reports/" + candidate.tracking_code + "/subscriptions", { email: input.value })
        .then(function (ok) { status.textContent = ok ? T.follow_sent : T.error; });
    });
    panel.appendChild(form);
    if ((typed.description || "").trim()) {
      var add = el("button", T.add_my_words, "secondary");
      add.type = "button";
      add.addEventListener("click", function () {
        post("/api/v1/reports/" + candidate.tracking_code + "/comments", { text: typed.description })
          .then(function (ok) { status.textContent = ok ? T.words_added : T.error; add.hidden = ok; });
      });
      panel.appendChild(add);
    }
    panel.appendChild(status);
    return panel;

    function post(url, body) {
      return fetch(url, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
                                     "Accept-Language": document.documentElement.lang } })
        .then(function (r) { return r.ok; }).catch(function () { return false; });
    }
  };
})();
