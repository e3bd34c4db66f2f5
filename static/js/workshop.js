/* Live workshop (projector view): keyboard shortcuts and full screen. No inline code (CSP).
 *
 *   ← / →      previous / next dimension
 *   ↑ / ↓      previous / next question (when consensus can be recorded)
 *   1 … 5, 0   agreed level of the focused question (0: none)
 *   Enter      record the focused question's consensus
 *   F          full screen on / off
 *
 * Shortcuts are off while typing in a text field (Enter there submits the form natively), and
 * arrows keep their native meaning on radio buttons.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-cx-workshop]");
  if (!root) { return; }
  var canRecord = root.hasAttribute("data-cx-workshop-record");
  var lastQuestion = null;

  function isTextField(el) {
    if (!el || !el.tagName) { return false; }
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
    return el.tagName === "INPUT" && ["radio", "checkbox", "button", "submit", "hidden"].indexOf(el.type) === -1;
  }

  function cards() { return Array.prototype.slice.call(root.querySelectorAll(".cx-wq")); }

  function currentCard() {
    var el = document.activeElement;
    return el && el.closest ? el.closest(".cx-wq") : null;
  }

  function focusCard(card) {
    if (!card) { return; }
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function go(selector) {
    var link = root.querySelector(selector);
    if (link) { window.location.assign(link.href); }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () { /* refused (not from a user gesture): stay as is */ });
    }
  }

  var fullscreen = root.querySelector("[data-cx-fullscreen]");
  if (fullscreen && root.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", toggleFullscreen);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (isTextField(target)) { return; }
    var onRadio = target && target.type === "radio";
    var key = event.key;
    if ((key === "ArrowLeft" || key === "ArrowRight") && !onRadio) {
      event.preventDefault();
      go(key === "ArrowLeft" ? "[data-cx-workshop-prev]" : "[data-cx-workshop-next]");
      return;
    }
    if (key === "f" || key === "F") {
      event.preventDefault();
      toggleFullscreen();
      return;
    }
    if (!canRecord) { return; }
    var card = currentCard();
    if ((key === "ArrowDown" || key === "ArrowUp") && !onRadio) {
      var list = cards();
      var index = card ? list.indexOf(card) : -1;
      var next = key === "ArrowDown" ? list[Math.min(list.length - 1, index + 1)] : list[Math.max(0, index - 1)];
      event.preventDefault();
      focusCard(next);
      return;
    }
    if (!card) { return; }
    if (/^[0-5]$/.test(key)) {
      var radio = card.querySelector("input[type=radio][name=level][value='" + (key === "0" ? "" : key) + "']");
      if (radio) {
        event.preventDefault();
        radio.checked = true;
      }
      return;
    }
    if (key === "Enter" && target.tagName !== "BUTTON" && target.tagName !== "A") {
      var form = card.querySelector("form[data-cx-consensus-form]");
      if (form) {
        event.preventDefault();
        lastQuestion = card.id;
        form.requestSubmit();
      }
    }
  });

  // Remember which question was saved (also by a click), and give it the focus back once htmx
  // has swapped in its new version, so the next key press applies to the same question.
  document.addEventListener("submit", function (event) {
    var card = event.target.closest && event.target.closest(".cx-wq");
    if (card) { lastQuestion = card.id; }
  }, true);
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastQuestion) { return; }
    var card = document.getElementById(lastQuestion);
    lastQuestion = null;
    if (card && (!document.activeElement || document.activeElement === document.body || !document.body.contains(document.activeElement))) {
      focusCard(card);
    }
  });

  // Start on the question in the address (after a save without JavaScript), else on the first one.
  document.addEventListener("DOMContentLoaded", function () {
    if (!canRecord) { return; }
    var fromHash = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    focusCard(fromHash && fromHash.classList.contains("cx-wq") ? fromHash : cards()[0]);
  });
})();
