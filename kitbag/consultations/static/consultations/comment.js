// Commenting in place, as a progressive enhancement of the "Comment on paragraph N" links.
// Without JavaScript each link opens a form page; with it, the same form opens under the
// paragraph, and selecting words of a paragraph offers "Comment on this", sending the words as
// a W3C TextQuoteSelector (exact, prefix, suffix). No inline script: the CSP stays strict.

const CONTEXT = 32;
const documentArea = document.querySelector("[data-comment-enhance]");
const template = document.getElementById("comment-form-template");
let counter = 0;

function closeOpenForms() {
  for (const open of document.querySelectorAll(".consultation-inline-form")) open.remove();
}

function openForm(section, link, quote) {
  closeOpenForms();
  const form = template.content.firstElementChild.cloneNode(true);
  counter += 1;
  form.action = link.getAttribute("href");
  form.querySelector('[name="paragraph"]').value = section.dataset.paragraph;
  for (const label of form.querySelectorAll("[data-label-for]")) {
    const field = form.querySelector(`[name="${label.dataset.labelFor}"]`);
    field.id = `inline-${label.dataset.labelFor}-${counter}`;
    label.htmlFor = field.id;
  }
  const quoted = form.querySelector(".consultation-inline-form__quote");
  if (quote) {
    form.querySelector('[name="quote_exact"]').value = quote.exact;
    form.querySelector('[name="quote_prefix"]').value = quote.prefix;
    form.querySelector('[name="quote_suffix"]').value = quote.suffix;
    quoted.textContent = `You are commenting on the words: “${quote.exact}”`;
    quoted.hidden = false;
  }
  form.querySelector("[data-cancel]").addEventListener("click", () => {
    form.remove();
    link.focus();
  });
  section.querySelector(".consultation-paragraph__actions").after(form);
  form.querySelector('[name="text"]').focus();
}

function quoteIn(section) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const textArea = section.querySelector("[data-paragraph-text]");
  if (!textArea.contains(range.startContainer) || !textArea.contains(range.endContainer)) {
    return null;
  }
  const exact = range.toString().trim();
  if (!exact) return null;
  const before = document.createRange();
  before.setStart(textArea, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const after = document.createRange();
  after.setStart(range.endContainer, range.endOffset);
  after.setEnd(textArea, textArea.childNodes.length);
  return {
    exact,
    prefix: before.toString().replace(/\s+/g, " ").slice(-CONTEXT),
    suffix: after.toString().replace(/\s+/g, " ").slice(0, CONTEXT),
  };
}

function offerQuote(section) {
  for (const offered of document.querySelectorAll("[data-quote-offer]")) offered.remove();
  const quote = quoteIn(section);
  if (!quote) return;
  const link = section.querySelector("[data-comment-link]");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-2";
  button.dataset.quoteOffer = "";
  button.textContent = "Comment on this";
  button.addEventListener("click", () => {
    button.remove();
    openForm(section, link, quote);
  });
  section.querySelector(".consultation-paragraph__actions").after(button);
}

if (documentArea && template) {
  for (const section of documentArea.querySelectorAll("[data-paragraph]")) {
    const link = section.querySelector("[data-comment-link]");
    if (!link) continue;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openForm(section, link, null);
    });
    const text = section.querySelector("[data-paragraph-text]");
    text.addEventListener("mouseup", () => offerQuote(section));
    text.addEventListener("keyup", () => offerQuote(section));
    text.addEventListener("touchend", () => offerQuote(section));
  }
}
