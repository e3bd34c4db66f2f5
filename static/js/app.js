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

  // Remember which questions were already answered when the page loaded.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".cx-levels").forEach(function (fieldset) {
      fieldset.dataset.cxInitiallyAnswered = fieldset.querySelector("input:checked") ? "1" : "0";
    });
  });
})();
