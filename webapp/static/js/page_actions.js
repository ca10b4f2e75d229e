/* Small behaviours declared in the markup with data attributes, so that no page needs an inline
   handler or style attribute (the Content-Security-Policy allows neither):
   data-print (prints the page), data-fills="ID" on a select (copies its value into #ID),
   data-width="N" (N pixels wide). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      document.getElementById(select.dataset.fills).value = select.value;
    });
  });
  document.querySelectorAll("[data-width]").forEach(function (el) {
    el.style.width = parseFloat(el.dataset.width) + "px";
  });
})();
