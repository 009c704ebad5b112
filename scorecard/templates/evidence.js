(function () {
  "use strict";
  // The evidence is on several pages. A link to a response or a ruling that the page could not
  // place (one that addressed no demand, a ruling on none of the demands) comes to the evidence
  // page where its part starts, and goes on from page to page to the one that holds it.
  var hash = window.location.hash;
  if (!/^#[ra]-/.test(hash) || document.getElementById(decodeURIComponent(hash.slice(1)))) {
    return;
  }
  var here = document.querySelector(".evidence-pages [aria-current]");
  var next = here && here.parentNode.nextElementSibling;
  if (next) {
    window.location.replace(next.querySelector("a").href.split("#")[0] + hash);
  }
})();
