/* Small enhancements on every page; the portal works without them (forms, links and tables are plain HTML). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The main menu folds behind a button on a phone.
  var toggle = document.getElementById("menu-toggle");
  var menu = document.getElementById("main-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("open", !open);
    });
  }

  // A table wider than its card scrolls inside it: say so, and let the keyboard scroll it too.
  function markScrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("scrollable", wide);
      // Also where the template already made the table focusable: the hint above it is drawn from data-hint.
      if (wide && !wrap.dataset.hint) {
        wrap.dataset.hint = document.body.dataset.scrollHint || "";
      }
      if (wide && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var heading = wrap.closest("section, .card, main");
        var title = heading && heading.querySelector("h1, h2, h3");
        wrap.setAttribute("aria-label", (title ? title.textContent.trim() + " — " : "") + wrap.dataset.hint);
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // A select marked data-autosubmit sends its form when changed (the language switch, dashboard choices); each
  // such form keeps a <noscript> button. Delegated, so that content swapped in by htmx works too.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      if (select.form.requestSubmit) { select.form.requestSubmit(); } else { select.form.submit(); }
    }
  });

  // After a refused form, the error summary takes the focus so that it is read first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
