/* Keyboard-first queue work (issue 8): j/k move, Enter opens, n next item, x select,
   X (Shift+x) select the whole page, a bulk action for the selected rows, r reply, h hide, b block, d dismiss, e escalate,
   u back to queue, ? help.
   Plain script, no build step; every action is a normal form, so it all works without this. */
(function () {
  "use strict";
  if (window.htmx) {
    // htmx 2 does not swap 4xx; our 409/422 responses carry the error partial with its hint.
    htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "409|422", swap: true, error: false},
      {code: "...", swap: false, error: true}
    ];
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-row]")); }
  function current() { return document.querySelector("[data-row].is-current"); }

  function setCurrent(row) {
    rows().forEach(function (r) { r.classList.remove("is-current"); r.removeAttribute("aria-current"); });
    if (!row) { return; }
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    row.focus({preventScroll: false});
    try { sessionStorage.setItem("queue-current", row.id); } catch (e) { /* private mode */ }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var at = all.indexOf(current());
    var next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    setCurrent(all[next]);
  }

  function openDialog(kind) {
    var dialog = document.getElementById("dialog-" + kind);
    if (dialog && dialog.showModal) {
      dialog.showModal();
      var first = dialog.querySelector("[autofocus], select, textarea, input:not([type=hidden]), button");
      if (first) { first.focus(); }
      return true;
    }
    return false;
  }

  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }

  function typing(target) {
    // A checkbox or a button takes no letters, so the keys still work with one focused
    // (e.g. after Space on "Select all").
    if (target && target.tagName === "INPUT" && /^(checkbox|radio|button|submit)$/.test(target.type)) { return false; }
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (typing(ev.target)) {
      if (ev.key === "Escape") { ev.target.blur(); }
      return;
    }
    if (document.querySelector("dialog[open]")) { return; }  // the dialog has the keyboard
    var handled = true;
    switch (ev.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter":
        var row = current();
        if (row && ev.target === row) { window.location.href = row.getAttribute("data-href"); } else { handled = false; }
        break;
      case "x":
        var r = current(), box = r && r.querySelector("input[type=checkbox]");
        if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", {bubbles: true})); }
        break;
      case "X":  // Shift+x: select (or clear) every row on this page, for a spam wave
        var all = document.getElementById("select-all");
        if (all) { all.checked = !all.checked; all.dispatchEvent(new Event("change", {bubbles: true})); } else { handled = false; }
        break;
      case "a":  // to the bulk bar: choose the action, Tab to the clause and Apply
        var kind = document.getElementById("bulk-kind");
        if (kind) { kind.focus(); } else { handled = false; }
        break;
      case "n": handled = click("[data-action=claim][data-next]"); break;
      case "r":
        var reply = document.getElementById("reply-text");
        if (reply) { reply.focus(); } else { handled = false; }
        break;
      case "h": handled = openDialog("hide"); break;
      case "b": handled = openDialog("block"); break;
      case "d": handled = openDialog("dismiss"); break;
      case "e": handled = openDialog("escalate"); break;
      case "u": handled = click("[data-back-to-queue]"); break;
      case "?": handled = openDialog("keys-help-inline") || showHelp(); break;
      default: handled = false;
    }
    if (handled) { ev.preventDefault(); }
  });

  function showHelp() {
    var help = document.getElementById("keys-help");
    if (help && help.showModal) { help.showModal(); return true; }
    return false;
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest("[data-keys-help]") : null;
    if (t) { showHelp(); }
    var opener = ev.target.closest ? ev.target.closest("[data-opens]") : null;
    if (opener) { ev.preventDefault(); openDialog(opener.getAttribute("data-opens")); }
    var row = ev.target.closest ? ev.target.closest("[data-row]") : null;
    if (row && !ev.target.closest("a, input, button, label")) { setCurrent(row); }
  });

  // Canned replies: choosing one fills the reply box (placeholders are already filled in).
  document.addEventListener("change", function (ev) {
    if (ev.target.id === "canned") {
      var opt = ev.target.selectedOptions[0];
      var box = document.getElementById("reply-text");
      if (opt && box && opt.getAttribute("data-text")) { box.value = opt.getAttribute("data-text"); }
    }
    if (ev.target.matches && ev.target.matches("[data-row] input[type=checkbox], #select-all")) {
      if (ev.target.id === "select-all") {
        rows().forEach(function (r) { var b = r.querySelector("input[type=checkbox]"); if (b) { b.checked = ev.target.checked; } });
      }
      var n = document.querySelectorAll("[data-row] input[type=checkbox]:checked").length;
      var out = document.getElementById("selected-count");
      if (out) { out.textContent = n + " selected"; }
    }
  });

  document.documentElement.setAttribute("data-keys", "ready");  // tests wait for this before typing

  document.addEventListener("DOMContentLoaded", function () {
    var remembered = null;
    try { remembered = sessionStorage.getItem("queue-current"); } catch (e) { /* private mode */ }
    var row = remembered && document.getElementById(remembered);
    if (row && rows().length) { row.classList.add("is-current"); }
  });
})();
