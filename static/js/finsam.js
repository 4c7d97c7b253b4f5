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

  // An agenda's items are dragged into a new order with the mouse; the order is
  // sent in the form's hidden field. Without the script the buttons move them.
  function makeSortable(list) {
    var form = list.closest("form");
    var field = form && form.querySelector(".js-sortable-order");
    if (!field) {
      return;
    }
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li[data-pk]");
      if (dragged) {
        dragged.classList.add("opacity-50");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", dragged.dataset.pk);
      }
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest("li[data-pk]");
      if (!dragged || !over || over === dragged) {
        return;
      }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("dragend", function () {
      if (!dragged) {
        return;
      }
      dragged.classList.remove("opacity-50");
      dragged = null;
      var order = Array.prototype.map.call(list.querySelectorAll("li[data-pk]"), function (li) {
        return li.dataset.pk;
      });
      if (order.join(",") !== field.value) {
        field.value = order.join(",");
        form.submit();
      }
    });
  }

  // A computed total (a report's participants) follows what is typed; the
  // server computes it again on every save. An empty field counts as 0.
  function updateTotals() {
    document.querySelectorAll("[data-total-of]").forEach(function (cell) {
      var total = 0;
      var ok = cell.dataset.totalOf.split(/\s+/).filter(Boolean).every(function (id) {
        var field = document.getElementById(id);
        var text = field ? field.value.trim() : "";
        if (text === "") {
          return true;
        }
        if (!/^[0-9]{1,9}$/.test(text)) {
          return false;
        }
        total += parseInt(text, 10);
        return true;
      });
      cell.textContent = ok ? String(total) : "–";
    });
  }

  function followTotals(event) {
    if (event.target.closest && event.target.closest("form") &&
        document.querySelector("[data-total-of~='" + event.target.id + "']")) {
      updateTotals();
    }
  }

  function start() {
    focusErrorSummary();
    markScrollingTables();
    document.querySelectorAll(".js-sortable").forEach(makeSortable);
  }

  document.addEventListener("click", followSummaryLink);
  document.addEventListener("input", followTotals);
  window.addEventListener("resize", markScrollingTables);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
