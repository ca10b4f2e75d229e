/* The queue's list on a desktop: the bulk bar shows only the inputs its action needs, and the keyboard
   moves through the reports — j / k next and previous, x select, Enter open, a assign the selected. */
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var action = document.getElementById("bulk-action");
  function showInputs() {
    form.querySelectorAll("[data-for]").forEach(function (span) { span.hidden = span.dataset.for !== action.value; });
  }
  action.addEventListener("change", showInputs);
  showInputs();

  var rows = Array.prototype.slice.call(document.querySelectorAll("#queue tbody tr"));
  var current = -1;
  function go(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, k) { row.classList.toggle("chosen", k === current); });
    var link = rows[current].querySelector("a");
    (link || rows[current]).focus();
  }
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName) && e.target.type !== "checkbox";
    if (typing || e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === "j") { e.preventDefault(); go(current + 1); }
    else if (e.key === "k") { e.preventDefault(); go(current - 1); }
    else if (e.key === "x" && current >= 0) {
      var box = rows[current].querySelector('input[type="checkbox"]');
      if (box) { e.preventDefault(); box.checked = !box.checked; }
    } else if (e.key === "a") {
      e.preventDefault();
      action.value = "assign"; showInputs();
      document.getElementById("bulk-officer").focus();
    }
  });
})();
