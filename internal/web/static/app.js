// praxis enhances forms that already work without JavaScript: confirmations, auto-submitting selects,
// select-on-focus for one-time secrets. No framework, no inline scripts (the CSP forbids them).
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener("change", function (e) {
  if (e.target.hasAttribute("data-autosubmit") && e.target.form) e.target.form.requestSubmit();
});
document.addEventListener("focusin", function (e) {
  if (e.target.hasAttribute("data-select-on-focus")) e.target.select();
});
