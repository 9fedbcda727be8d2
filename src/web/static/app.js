// GOV.UK Frontend's components (error summary focus, details, radios and so on) on every desk.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
