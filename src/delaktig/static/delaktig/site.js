/* Delaktig: small keyboard and screen-reader help on top of pages that work without it. */
(function () {
  "use strict";

  // After a failed submit the error summary gets focus, so that it is read first and its
  // links are the next Tab stops; a link moves focus to the field it names.
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary[role=alert]");
    if (!summary) return;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var target = document.getElementById(id) || document.getElementById(id + "_0");
      if (!target) return;
      if (!target.matches("input, select, textarea, button")) {
        target = target.querySelector("input:not([type=hidden]), select, textarea") || target;
      }
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      if (!target.hasAttribute("tabindex") && !target.matches("input, select, textarea, button")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
      if (history.replaceState) history.replaceState(null, "", "#" + id);
    });
  }

  // A live region is announced when its content changes, not when a page loads with it: the
  // messages are shown at once and put into the empty status region a moment after load.
  function announceMessages() {
    var shown = document.querySelector("[data-messages]");
    var region = document.querySelector("[data-announcer]");
    if (!shown || !region) return;
    window.setTimeout(function () {
      region.textContent = shown.innerText.trim();
      // Read once: the copy in the status region stands in for the visible text.
      if (!shown.querySelector("a, button, input, select, textarea")) {
        shown.setAttribute("aria-hidden", "true");
      }
    }, 400);
  }

  // A table scroll region is a Tab stop and a landmark only while it really scrolls.
  function tuneScrollRegions() {
    var regions = document.querySelectorAll(".table-scroll");
    if (!regions.length) return;
    function tune(region) {
      if (!region.dataset.labelledby) {
        region.dataset.labelledby = region.getAttribute("aria-labelledby") || "";
      }
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        if (region.dataset.labelledby) {
          region.setAttribute("aria-labelledby", region.dataset.labelledby);
        }
      } else if (region !== document.activeElement) {
        // A plain box again: a name on an element without a role is not allowed.
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-labelledby");
      }
    }
    regions.forEach(tune);
    if ("ResizeObserver" in window) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { tune(entry.target); });
      });
      regions.forEach(function (region) { observer.observe(region); });
    }
  }

  function start() {
    tuneScrollRegions();
    focusErrorSummary();
    announceMessages();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
