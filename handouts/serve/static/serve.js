// The leaflet screen's live preview: send the form a moment after a change, show the sheet and the messages.
// Everything also works without this file (the Preview button).
"use strict";
(function () {
  const form = document.getElementById("leaflet-form");
  if (!form) return;
  const frame = document.getElementById("preview");
  const status = document.getElementById("preview-status");
  let timer = null, sent = 0;

  async function refresh() {
    const mine = ++sent;
    const body = new FormData(form);
    let answer;
    try {
      const response = await fetch("/leaflet/preview", {method: "POST", body: body, credentials: "same-origin"});
      if (!response.ok) { status.textContent = "The preview could not be updated; press Preview."; return; }
      answer = await response.json();
    } catch (e) {
      status.textContent = "The preview could not be updated; press Preview.";
      return;
    }
    if (mine !== sent) return;  // a newer change is on its way
    for (const [name, html] of Object.entries(answer.errors)) {
      const slot = document.getElementById("err-" + name);
      if (slot) slot.innerHTML = html;
      const field = document.getElementById(name);
      if (field) { if (html) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid"); }
    }
    document.getElementById("cautions").innerHTML = answer.cautions;
    document.getElementById("technique-cautions").innerHTML = answer.technique_cautions;
    if (answer.preview !== null) {
      frame.srcdoc = answer.preview;
      status.textContent = "The sheet as it will print.";
    } else {
      frame.srcdoc = "";  // never leave an older sheet in view: it may say what this one must not
      status.textContent = "No preview: fix what the form says first.";
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener("input", function (event) {
    if (event.target.id === "condition" || event.target.id === "add_points") return;  // wait for a whole choice
    later();
  });
  form.addEventListener("change", function (event) {
    const id = event.target.id;
    if (id === "condition" || id === "add_points") {
      // a new condition brings its own points, an added point its tick box: reload the form (same as Preview)
      if (event.target.value.trim()) document.getElementById("preview-button").click();
      return;
    }
    later();
  });
  document.body.classList.add("live");
})();
