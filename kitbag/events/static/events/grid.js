// Drag and drop on the session grid, for organisers, as an enhancement of each session's
// "Place" link (a form that works without JavaScript). Dropping a session on a room in a time
// slot posts that same form; the page then reloads to show the grid and its clashes as the
// server works them out. No inline script: the CSP stays strict.

const token = document.querySelector('input[name="csrfmiddlewaretoken"]');
const hint = document.querySelector("[data-grid-hint]");
if (hint) hint.hidden = false;

let dragged = null;

for (const card of document.querySelectorAll(".events-session[data-place-url]")) {
  card.addEventListener("dragstart", (event) => {
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  card.addEventListener("dragend", () => {
    dragged = null;
  });
}

async function place(card, cell) {
  const body = new FormData();
  body.append("room", cell.dataset.room);
  body.append("slot", cell.dataset.slot);
  const response = await fetch(card.dataset.placeUrl, {
    method: "POST",
    body,
    headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    credentials: "same-origin",
  });
  if (response.ok) {
    window.location.reload();
  } else {
    // Fall back to the form, which says what went wrong.
    window.location.assign(card.dataset.placeUrl);
  }
}

for (const cell of document.querySelectorAll(".events-grid__cell[data-room]")) {
  cell.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    cell.classList.add("events-grid__cell--drop-target");
  });
  cell.addEventListener("dragleave", () => {
    cell.classList.remove("events-grid__cell--drop-target");
  });
  cell.addEventListener("drop", (event) => {
    event.preventDefault();
    cell.classList.remove("events-grid__cell--drop-target");
    if (dragged) place(dragged, cell);
  });
}
