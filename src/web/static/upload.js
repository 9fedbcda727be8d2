// Shows how far an import upload has gone. A 32 MB file takes a while on a council network,
// and a plain form post gives no sign of life; without this script the form posts as usual.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

function progressArea(form) {
  const area = form.querySelector("#upload-progress");
  area.replaceChildren();
  const label = document.createElement("label");
  label.className = "govuk-label govuk-label--s";
  label.htmlFor = "upload-bar";
  label.textContent = "Uploading the file";
  const bar = document.createElement("progress");
  bar.id = "upload-bar";
  bar.className = "app-progress";
  bar.max = 100;
  bar.value = 0;
  const text = document.createElement("p");
  text.className = "govuk-body govuk-!-margin-top-2";
  text.textContent = "0%";
  area.append(label, bar, text);
  area.hidden = false;
  return { label, bar, text };
}

/**
 * The answer is a whole page (the summary, the bad lines or an error page). It replaces this
 * one's body in place: the URL stays /import, as after a plain post, and GOV.UK Frontend's
 * components start again on the new markup (the error summary takes focus).
 */
function showPage(html) {
  const next = new DOMParser().parseFromString(html, "text/html");
  document.title = next.title;
  document.body.replaceWith(document.adoptNode(next.body));
  document.body.classList.add("govuk-frontend-supported");
  initAll();
  enhance();
  if (!document.querySelector(".govuk-error-summary")) {
    const heading = document.querySelector("main h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }
}

function upload(form) {
  const button = form.querySelector("button[type=submit]");
  const { label, bar, text } = progressArea(form);
  const xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  // So that a refusal comes back as a page, not as the API's problem+json.
  xhr.setRequestHeader("Accept", "text/html");
  xhr.upload.addEventListener("progress", (e) => {
    if (!e.lengthComputable) return;
    const pct = Math.min(100, Math.floor((e.loaded / e.total) * 100));
    bar.value = pct;
    text.textContent = `${pct}%`;
  });
  xhr.upload.addEventListener("load", () => {
    label.textContent = "Checking every line, then importing";
    // An indeterminate bar: how long the check takes is not known here.
    bar.removeAttribute("value");
    text.textContent = "Uploaded. This can take a minute for a large file; do not close this page.";
  });
  xhr.addEventListener("load", () => showPage(xhr.responseText));
  xhr.addEventListener("error", () => {
    label.textContent = "The upload did not finish";
    text.textContent = "Check your connection and try again.";
    if (button) button.disabled = false;
  });
  if (button) button.disabled = true;
  xhr.send(new FormData(form));
}

function enhance() {
  const form = document.querySelector("form[data-upload-progress]");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const input = form.querySelector("input[type=file]");
    // No file chosen: the plain post lets the server say so, as without the script.
    if (!input?.files?.length) return;
    event.preventDefault();
    upload(form);
  });
}

enhance();
