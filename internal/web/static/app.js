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

// Filter boxes of check lists: hide the choices whose text lacks what was typed (checked ones stay checked).
document.querySelectorAll("[data-filter]").forEach(function (box) { box.hidden = false; });
document.addEventListener("input", function (e) {
  var id = e.target.getAttribute("data-filter");
  if (!id) return;
  var words = e.target.value.trim().toLowerCase();
  document.getElementById(id).querySelectorAll("label.check").forEach(function (label) {
    label.hidden = words !== "" && label.textContent.toLowerCase().indexOf(words) < 0;
  });
});

// Search fields of large pickers: as the user types, ask the field's suggest endpoint and offer the answers
// in its datalist. A field with data-multiple holds references separated by commas: only the last is looked up.
var suggestTimer;
document.addEventListener("input", function (e) {
  var field = e.target, url = field.getAttribute("data-suggest");
  if (!url || !field.list) return;
  var text = field.value, prefix = "";
  if (field.hasAttribute("data-multiple")) {
    var cut = text.lastIndexOf(",") + 1;
    if (cut > 0) prefix = text.slice(0, cut) + " ";
    text = text.slice(cut);
  }
  text = text.trim();
  clearTimeout(suggestTimer);
  if (text === "") return;
  suggestTimer = setTimeout(function () {
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        field.list.replaceChildren.apply(field.list, list.map(function (s) {
          var o = document.createElement("option");
          o.value = prefix + s.ref;
          o.label = s.name + " (" + s.ref + ")";
          return o;
        }));
      })
      .catch(function () {});
  }, 150);
});

// SoA table: "Edit" opens the entry's form in the row below instead of going to the entry's page, and
// "select all shown" ticks every row's box (the server applies it to all shown controls without JavaScript too).
document.addEventListener("click", function (e) {
  var link = e.target.closest("[data-edit-row]");
  if (!link) return;
  var row = document.getElementById(link.getAttribute("data-edit-row"));
  if (!row) return;
  e.preventDefault();
  row.hidden = !row.hidden;
  link.setAttribute("aria-expanded", String(!row.hidden));
  if (!row.hidden) {
    var first = row.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
  }
});
document.addEventListener("change", function (e) {
  var form = e.target.form, all = form && form.querySelector("[data-select-all]");
  if (all && e.target !== all && e.target.name === all.getAttribute("data-select-all") && !e.target.checked) all.checked = false;
  var name = e.target.getAttribute("data-select-all");
  if (!name || !form) return;
  document.querySelectorAll('input[type=checkbox][name="' + name + '"][form="' + e.target.form.id + '"]').forEach(function (box) {
    box.checked = e.target.checked;
  });
});
