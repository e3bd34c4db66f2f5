/* cxgov behaviour: small progressive enhancements. All scripts live in files (CSP, no inline code). */
(function () {
  "use strict";
  // Disable the submit buttons of a form once submitted, to avoid double posts.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-cx-once]")) {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }
  });

  // Questionnaire progress: when a question gets its first answer, move the bar without a reload.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches(".cx-levels input[type=radio]")) { return; }
    var fieldset = input.closest(".cx-levels");
    if (fieldset.dataset.cxCounted || fieldset.querySelectorAll("input:checked").length !== 1) { return; }
    var wasAnswered = fieldset.dataset.cxInitiallyAnswered === "1";
    fieldset.dataset.cxCounted = "1";
    if (wasAnswered) { return; }
    var bar = document.querySelector("[data-cx-progress]");
    if (!bar) { return; }
    var answered = parseInt(bar.dataset.answered, 10) + 1;
    var total = parseInt(bar.dataset.total, 10) || 1;
    bar.dataset.answered = String(answered);
    bar.setAttribute("aria-valuenow", String(answered));
    var fill = bar.querySelector("span");
    fill.className = "cx-w-" + Math.floor((100 * answered) / total);
    document.querySelectorAll("[data-cx-answered]").forEach(function (el) { el.textContent = String(answered); });
  });

  // A frame that scrolls sideways (a wide table or chart on a phone, a long sample line) must be reachable
  // with the keyboard to be scrolled (WCAG 2.1.1): when it overflows and holds nothing focusable,
  // it becomes a labelled, focusable group; when it fits again, it stops being a tab stop.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function regionLabel(el) {
    var caption = el.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    for (var node = el; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        var heading = prev.matches("h1, h2, h3, h4, h5, h6") ? prev : prev.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading && heading.textContent.trim()) { return heading.textContent.trim(); }
      }
    }
    return "";
  }
  function markScrollers() {
    document.querySelectorAll(".table-responsive, pre, .cx-chart").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      var managed = el.dataset.cxScroller === "1";
      if (scrolls && !managed && !el.hasAttribute("tabindex") && !el.querySelector(FOCUSABLE)) {
        el.dataset.cxScroller = "1";
        el.setAttribute("tabindex", "0");
        var label = regionLabel(el);
        // A group, not a region: the page's section around it may already be a landmark of the same name.
        if (label) { el.setAttribute("role", "group"); el.setAttribute("aria-label", label); }
      } else if (!scrolls && managed) {
        delete el.dataset.cxScroller;
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(markScrollers, 150);
  });
  document.addEventListener("DOMContentLoaded", markScrollers);
  document.addEventListener("htmx:afterSettle", markScrollers);

  // Remember which questions were already answered when the page loaded.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".cx-levels").forEach(function (fieldset) {
      fieldset.dataset.cxInitiallyAnswered = fieldset.querySelector("input:checked") ? "1" : "0";
    });
  });
})();
