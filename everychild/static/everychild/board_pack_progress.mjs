// The board pack page: ask every two seconds how far the pack has got and show it, until it
// is ready or has failed. Without JavaScript the page offers a "Check again" link instead.
const box = document.getElementById("board-pack-progress");

function show(state) {
  box.dataset.status = state.status;
  document.getElementById("board-pack-bar").value = state.progress;
  const text = document.getElementById("board-pack-status-text");
  text.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = state.status_text;
  text.append(strong);
  if (state.status === "queued" || state.status === "running") {
    text.append(`: ${state.step || "waiting for the next free worker"}`);
  }
  if (state.status === "done") {
    document.getElementById("board-pack-download").hidden = false;
  }
  if (state.status === "failed") {
    document.getElementById("board-pack-error-text").textContent = state.error;
    document.getElementById("board-pack-error").hidden = false;
  }
}

async function poll() {
  try {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (response.ok) {
      show(await response.json());
    }
  } catch {
    // A dropped connection: try again at the next tick.
  }
  if (box.dataset.status === "queued" || box.dataset.status === "running") {
    window.setTimeout(poll, 2000);
  }
}

if (box && (box.dataset.status === "queued" || box.dataset.status === "running")) {
  for (const element of document.querySelectorAll(".everychild-no-js-only")) {
    element.hidden = true;
  }
  window.setTimeout(poll, 2000);
}
