// Progressive enhancement only: every page works without this file.
// Module scripts run only in browsers GOV.UK Frontend supports, so the class is set here
// instead of in an inline script (our Content Security Policy forbids inline script).
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A table's scroll region (core/table_scroll.html) takes keyboard focus so it can be scrolled
// without a mouse; where the table fits, that tab stop leads nowhere, so it goes (and comes
// back if the window narrows).
const scrollRegions = document.querySelectorAll(".everychild-table-scroll");
function focusOnlyWhatScrolls() {
  for (const region of scrollRegions) {
    if (region.scrollWidth > region.clientWidth) {
      region.setAttribute("tabindex", "0");
    } else {
      region.removeAttribute("tabindex");
    }
  }
}
focusOnlyWhatScrolls();
window.addEventListener("resize", focusOnlyWhatScrolls);
