// The project's own script, loaded on every page (no inline scripts: the pages
// have a Content-Security-Policy).
(function () {
  "use strict";

  // After a failed submit the error summary gets the focus, so that a screen
  // reader reads it and a keyboard user starts from it.
  function focusErrorSummary() {
    var summary = document.getElementById("fel-sammanfattning");
    if (summary) {
      summary.focus();
    }
  }

  // A link in the error summary puts the focus in its field, not only the
  // scroll position, and shows the field's label above it.
  function followSummaryLink(event) {
    var link = event.target.closest("#fel-sammanfattning a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  // A table wider than the screen scrolls in its own box; a keyboard user
  // reaches the box with Tab (only when it scrolls) and scrolls it with arrows.
  function markScrollingTables() {
    var boxes = document.querySelectorAll(".table-responsive, .table-container");
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Tabell, rulla i sidled");
      } else if (box.getAttribute("aria-label") === "Tabell, rulla i sidled") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function start() {
    focusErrorSummary();
    markScrollingTables();
  }

  document.addEventListener("click", followSummaryLink);
  window.addEventListener("resize", markScrollingTables);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
