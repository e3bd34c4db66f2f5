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
})();
