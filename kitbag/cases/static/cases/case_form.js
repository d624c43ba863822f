// "Others working on this" while a case is written: fetch the panel as the title and problem are
// typed, without blocking the form. Without JavaScript the "Check for similar cases" button does
// the same by sending the form back (nothing typed is lost). Decision 17. The panel is on the
// first section of the task list (decision 26), where the saved case's services, areas and sector
// come from the form's data attributes rather than from fields.
const form = document.querySelector("form[data-similar-url]");
const region = document.getElementById("similar-cases-results");
const WAIT_MS = 600;

if (form && region) {
  const url = form.dataset.similarUrl;
  let timer = null;
  let lastQuery = null;
  let inFlight = null;

  const valueOf = (name) => {
    const field = form.elements.namedItem(name);
    return field && "value" in field ? field.value : "";
  };

  const query = () => {
    const params = new URLSearchParams();
    params.set("title", valueOf("title"));
    params.set("problem", valueOf("problem"));
    for (const name of ["services", "functions"]) {
      const boxes = form.querySelectorAll(`input[name="${name}"]`);
      if (boxes.length) {
        for (const box of boxes) if (box.checked) params.append(name, box.value);
      } else if (form.dataset[name]) {
        params.append(name, form.dataset[name]);
      }
    }
    const sector = valueOf("sector") || form.dataset.sector || "";
    if (sector) params.set("sector", sector);
    if (form.dataset.case) params.set("case", form.dataset.case);
    return params.toString();
  };

  const refresh = async () => {
    const wanted = query();
    if (wanted === lastQuery) return;
    lastQuery = wanted;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    try {
      const response = await fetch(`${url}?${wanted}`, {
        signal: inFlight.signal,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      // A refusal (too many requests) leaves the last panel in place: the button still works.
      if (response.ok) region.innerHTML = await response.text();
    } catch (error) {
      if (error.name !== "AbortError") lastQuery = null;
    }
  };

  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, WAIT_MS);
  };

  form.addEventListener("input", (event) => {
    if (["title", "problem"].includes(event.target.name)) later();
  });
  form.addEventListener("change", (event) => {
    if (["services", "functions", "sector"].includes(event.target.name)) later();
  });
}
