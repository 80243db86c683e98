// Progressive enhancement only: every page works without this file.
// Module scripts run only in browsers GOV.UK Frontend supports, so the class is set here
// instead of in an inline script (our Content Security Policy forbids inline script).
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
