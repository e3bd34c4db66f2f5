/* The respondent's screens: the error summary takes the focus, its links reach their field, and on the
   one-question screen the keys 1–5 choose a level, D "don't know", Enter the next question.
   A file, never inline code (strict CSP). */
(function () {
  "use strict";

  // Where a key is text being typed, it is left alone (the comment, the link, a select).
  function typing(target) {
    return target.isContentEditable ||
      target.matches("textarea, select, input:not([type=radio]):not([type=checkbox]):not([type=button]):not([type=submit])");
  }

  function reveal(field) {
    var details = field.closest("details");
    if (details) { details.open = true; }
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  // A page shown again with errors: the summary at the top is announced and takes the focus.
  var summary = document.querySelector("[data-cx-error-summary]");
  if (summary) { summary.focus(); }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-cx-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    reveal(field);
  });

  document.addEventListener("keydown", function (event) {
    var form = document.querySelector("[data-cx-question-flow]");
    if (!form || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (typing(target)) { return; }
    var key = event.key;
    if (/^[1-5]$/.test(key) || key === "d" || key === "D") {
      var value = /^[1-5]$/.test(key) ? key : "dk";
      var radio = form.querySelector("input[type=radio][value='" + value + "']");
      if (!radio || radio.disabled) { return; }
      event.preventDefault();
      if (!radio.checked) {
        radio.checked = true;
        // The same event a click sends: the autosave (htmx) and the progress bar listen to it.
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
      radio.focus();
      return;
    }
    if (key === "Enter") {
      // Links, buttons and summaries keep their own Enter.
      if (target.closest("a, button, summary")) { return; }
      var next = form.querySelector("[data-cx-next]");
      if (!next) { return; }
      event.preventDefault();
      if (next.tagName === "A") { next.click(); } else { form.requestSubmit(next); }
    }
  });
})();
