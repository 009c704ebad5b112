(function () {
  "use strict";
  // A link made when the responses and rulings were on this page (#r-ID, #a-ID) goes on to
  // the evidence page.
  var moved = document.getElementById("evidence");
  var hash = window.location.hash;
  if (moved && /^#[ra]-/.test(hash) && !document.getElementById(decodeURIComponent(hash.slice(1)))) {
{% if evidence_pages | length > 1 %}
    // The evidence is on several pages: this page's own link to that response or ruling says
    // which; one it does not link (a response that addressed no demand, a ruling on none) goes
    // to the page where its part starts, which sends it on (evidence.js).
    var to = Array.prototype.find.call(document.links, function (a) { return a.hash === hash; }) ||
      moved.querySelector(hash.charAt(1) === "r" ? "a[href$='#unlinked']" : "a[href$='#assessments']");
    window.location.replace((to ? to.href.split("#")[0] : moved.dataset.page) + hash);
{% else %}
    window.location.replace(moved.dataset.page + hash);
{% endif %}
    return;
  }
  // A long history shows its latest rows; the earlier ones fold behind a button, unless the
  // link followed leads into them.
  function unfold(rows) {
    rows.hidden = false;
    var button = rows.closest("table").previousElementSibling;
    if (button && button.classList.contains("more-history")) { button.remove(); }
  }
  var target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
  document.querySelectorAll("tbody.earlier").forEach(function (rows) {
    if (target && rows.contains(target)) { return; }
    var table = rows.closest("table");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "more-history";
    button.textContent = rows.dataset.more;
    button.addEventListener("click", function () { unfold(rows); });
    table.parentNode.insertBefore(button, table);
    rows.hidden = true;
  });
  window.addEventListener("hashchange", function () {
    var to = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    var rows = to && to.closest("tbody.earlier[hidden]");
    if (rows) { unfold(rows); to.scrollIntoView(); }
  });
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  var items = document.querySelectorAll("[data-status][data-group]");
  var shown = document.getElementById("shown");
  var sections = document.querySelectorAll("section.group");
  function checked(name) {
    var values = {};
    form.querySelectorAll("input[name='" + name + "']").forEach(function (box) {
      values[box.value] = box.checked;
    });
    return values;
  }
  function apply() {
    var statuses = checked("status");
    var groups = checked("group");
    var hasGroups = Object.keys(groups).length > 0;
    var count = 0;
    var total = 0;
    items.forEach(function (item) {
      var visible = statuses[item.dataset.status] !== false &&
        (!hasGroups || groups[item.dataset.group] !== false);
      item.hidden = !visible;
      if (item.tagName === "TR") { total += 1; if (visible) { count += 1; } }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".demand:not([hidden])");
    });
    shown.textContent = (shown.dataset.template || "Showing %(shown)s of %(total)s demands.")
      .replace("%(shown)s", count).replace("%(total)s", total);
  }
  form.addEventListener("change", apply);
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-check]");
    if (!button) { return; }
    var all = button.dataset.check === "all";
    button.closest("fieldset").querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = all;
    });
    apply();
  });
  apply();
}());
