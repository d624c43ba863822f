// "Search for a service" offers suggestions as you type: GOV.UK's accessible-autocomplete
// (decision 25) over GET /cases/service-suggestions/. Choosing a suggestion ticks it among the
// chosen services, to be saved with the section. Without JavaScript, or if this fails to load,
// the same box and its "Find services" button list matches to tick: nothing here is needed.
const search = document.querySelector("[data-service-search]");
const autocomplete = window.accessibleAutocomplete;

if (search && typeof autocomplete === "function") {
  const form = search.closest("form");
  const input = search.querySelector('input[name="service_query"]');
  const chosenList = document.getElementById("chosen-services");
  const announce = document.getElementById("service-added");
  const url = search.dataset.suggestionsUrl;
  let inFlight = null;

  const chosenCodes = () =>
    Array.from(form.querySelectorAll('input[name="services"]:checked'), (box) => box.value);

  const source = async (query, populate) => {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    const params = new URLSearchParams({ q: query, chosen: chosenCodes().join(",") });
    try {
      const response = await fetch(`${url}?${params}`, {
        signal: inFlight.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      // A refusal (too many requests) offers nothing: "Find services" still works.
      populate(response.ok ? (await response.json()).results : []);
    } catch (error) {
      if (error.name !== "AbortError") populate([]);
    }
  };

  // The component puts a suggestion's text into the page as HTML, so it is escaped here.
  const escaped = (text) =>
    String(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  const described = (option) =>
    escaped(option && typeof option === "object" ? `${option.label} (${option.code})` : option || "");

  const tick = (option) => {
    if (!option || typeof option !== "object") return;
    let box = Array.from(form.querySelectorAll('input[name="services"]')).find(
      (each) => each.value === option.code,
    );
    if (!box) {
      // Built from text nodes, never from HTML, so a label cannot become markup.
      const item = document.createElement("div");
      item.className = "govuk-checkboxes__item";
      box = document.createElement("input");
      box.className = "govuk-checkboxes__input";
      box.type = "checkbox";
      box.name = "services";
      box.value = option.code;
      box.id = `service-${option.code}`;
      const label = document.createElement("label");
      label.className = "govuk-label govuk-checkboxes__label";
      label.htmlFor = box.id;
      label.append(`${option.label} `);
      const code = document.createElement("span");
      code.className = "govuk-hint govuk-!-display-inline";
      code.textContent = `(${option.code})`;
      label.append(code);
      item.append(box, label);
      chosenList.append(item);
    }
    box.checked = true;
    chosenList.hidden = false;
    announce.textContent = `${option.label} is selected. Save the section to keep it.`;
  };

  // The autocomplete draws its own input with the same id and name, so the label, the error
  // summary's link and "Find services" (which Enter still presses) work as before.
  const holder = document.createElement("div");
  input.replaceWith(holder);
  autocomplete({
    element: holder,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    source,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    templates: { inputValue: () => "", suggestion: described },
    onConfirm: tick,
    tNoResults: () => "No services match. Try a shorter word.",
  });
}
