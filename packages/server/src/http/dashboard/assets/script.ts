/**
 * The dashboard's one script, served from /dashboard/assets (the CSP allows no inline script).
 * Everything works without it except copying; it adds copy, reveal, confirmations and live
 * enabling of the custom-credential fields.
 */
export const DASHBOARD_JS = `
"use strict";
// A secret marked data-reveal-url is fetched when first needed, with this page's CSRF token.
async function loadSecret(el) {
  const url = el && el.getAttribute("data-reveal-url");
  if (!url || el.textContent) return;
  const csrf = document.querySelector('input[name="_csrf"]');
  const res = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf ? csrf.value : "" }),
  });
  if (res.ok) el.textContent = (await res.json()).key;
}
document.addEventListener("click", async (event) => {
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const source = document.getElementById(copy.getAttribute("data-copy"));
    await loadSecret(source);
    const text = source ? ("value" in source ? source.value : source.textContent) : "";
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      if (source && source.select) { source.select(); document.execCommand("copy"); }
    }
    const label = copy.textContent;
    copy.textContent = "Copied";
    setTimeout(() => { copy.textContent = label; }, 1500);
    return;
  }
  const reveal = event.target.closest("[data-reveal]");
  if (reveal) {
    const secret = document.getElementById(reveal.getAttribute("data-reveal"));
    await loadSecret(secret);
    const masked = document.getElementById(reveal.getAttribute("data-reveal") + "-masked");
    const show = secret.hidden;
    secret.hidden = !show;
    masked.hidden = show;
    reveal.textContent = show ? "Hide" : "Reveal";
    reveal.setAttribute("aria-expanded", String(show));
  }
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
for (const toggle of document.querySelectorAll("[data-controls-fieldsets]")) {
  const sync = () => {
    for (const fs of document.querySelectorAll(toggle.getAttribute("data-controls-fieldsets"))) {
      fs.disabled = !toggle.checked;
    }
  };
  toggle.addEventListener("change", sync);
}
`;
