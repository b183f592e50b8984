/** The dashboard's one stylesheet: system fonts, no external resources. */
export const DASHBOARD_CSS = `
:root {
  --bg: #f6f7f9; --panel: #fff; --text: #172b4d; --muted: #5e6c84; --line: #dfe1e6;
  --accent: #0c66e4; --accent-text: #fff; --danger: #c9372c; --ok: #1f845a; --warn: #b65c02;
  --radius: 8px; --focus: 0 0 0 3px rgba(12, 102, 228, .35);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: none; box-shadow: var(--focus);
}
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.topbar { display: flex; align-items: center; gap: 16px; padding: 10px 24px; background: #091e42; color: #fff; }
.topbar a { color: #fff; text-decoration: none; }
.brand { font-weight: 700; font-size: 17px; letter-spacing: .2px; }
.topbar nav { flex: 1; display: flex; gap: 16px; }
.topbar form { margin: 0; }
.topbar button { background: transparent; color: #fff; border-color: rgba(255,255,255,.4); }
/* break-word: a long URL or id breaks where it must instead of pushing the page sideways. */
main { max-width: 1100px; margin: 0 auto; padding: 24px; overflow-wrap: break-word; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
.lede { color: var(--muted); margin: 0 0 20px; }
.muted { color: var(--muted); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 20px; margin-bottom: 20px; }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; align-items: start; }
@media (max-width: 860px) { .grid { grid-template-columns: minmax(0, 1fr); } }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.spread { display: flex; justify-content: space-between; align-items: center; gap: 12px; flex-wrap: wrap; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
.check { display: flex; gap: 10px; align-items: flex-start; font-weight: 400; margin: 12px 0; }
.check input { margin-top: 4px; }
.check strong { display: block; }
.hint { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
input[type=text], input[type=url], input[type=password], input[type=search], textarea {
  width: 100%; padding: 8px 10px; border: 1px solid #c1c7d0; border-radius: 6px; font: inherit; background: #fff;
}
input[readonly] { background: #f4f5f7; }
input[aria-invalid=true] { border-color: var(--danger); }
fieldset { border: 1px solid var(--line); border-radius: var(--radius); margin: 16px 0; padding: 8px 16px 16px; }
fieldset:disabled { opacity: .6; }
legend { font-weight: 600; padding: 0 4px; }
button, .button {
  display: inline-block; padding: 7px 14px; border-radius: 6px; border: 1px solid #c1c7d0; background: #fff;
  color: var(--text); font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; white-space: nowrap;
}
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button.link { border: none; background: none; color: var(--accent); padding: 0; font-weight: 400; }
button:disabled { opacity: .45; cursor: not-allowed; }
.inline { display: inline; margin: 0; }
.grow { flex: 1; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 10px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #e9f2ff; color: #0055cc; }
.badge.ok { background: #dcfff1; color: var(--ok); }
.badge.warn { background: #fff7d6; color: var(--warn); }
.badge.off { background: #f1f2f4; color: var(--muted); }
.badge.danger { background: #ffeceb; color: var(--danger); }
.notice { border-radius: var(--radius); padding: 10px 14px; margin-bottom: 16px; border: 1px solid; }
.notice.ok { background: #dcfff1; border-color: #4bce97; }
.notice.error { background: #ffeceb; border-color: #f87168; }
.notice.info { background: #e9f2ff; border-color: #85b8ff; }
.field-error { color: var(--danger); font-size: 13px; margin: 4px 0 0; }
.tabs { display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid var(--line); margin: 16px 0 20px; }
.tabs a { padding: 8px 14px; text-decoration: none; color: var(--muted); border-bottom: 2px solid transparent; font-weight: 600; }
.tabs a[aria-current=page] { color: var(--accent); border-bottom-color: var(--accent); }
.switcher { display: inline-flex; border: 1px solid var(--line); border-radius: 999px; overflow: hidden; background: #fff; }
.switcher a { padding: 4px 14px; text-decoration: none; color: var(--muted); font-weight: 600; font-size: 13px; }
.switcher a[aria-current=page] { background: var(--accent); color: #fff; }
.copy { display: flex; gap: 6px; }
.copy input, .copy code { flex: 1; min-width: 0; }
.secret { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.secret code { padding: 6px 8px; background: #f4f5f7; border-radius: 6px; flex: 1; overflow-wrap: anywhere; }
pre { background: #f4f5f7; padding: 12px; border-radius: 6px; overflow: auto; font-size: 12px; }
.wrap, td code, dd code, .chip code, .notice .mono { overflow-wrap: anywhere; }
ul.plain { padding-left: 0; list-style: none; }
.inline-check { margin: 0; align-items: center; }
.inline-check input { margin-top: 0; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.chip { display: inline-flex; gap: 6px; align-items: center; border: 1px solid var(--line); border-radius: 999px; padding: 3px 10px; background: #fafbfc; font-weight: 400; margin: 0; }
.guide ol { padding-left: 20px; }
.guide li { margin-bottom: 8px; }
.pager { display: flex; gap: 12px; align-items: center; justify-content: flex-end; margin-top: 12px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.signin { max-width: 420px; margin: 10vh auto; }
/* Phones (390 px and up): nothing may scroll sideways. Tables become one card per row, with the
   header row kept for screen readers only; long values wrap. */
@media (max-width: 640px) {
  .topbar { padding: 10px 16px; gap: 10px; }
  main { padding: 16px 12px; }
  .panel { padding: 14px; }
  .tabs a { padding: 8px 10px; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border-bottom: 1px solid var(--line); padding: 8px 0; }
  td { border-bottom: none; padding: 4px 0; overflow-wrap: anywhere; }
  dl.facts { grid-template-columns: minmax(0, 1fr); }
  dl.facts dd { margin-bottom: 6px; }
  .pager { flex-wrap: wrap; justify-content: flex-start; }
  .spread > form.row { width: 100%; }
  .spread > form.row input[type=search] { flex: 1 1 100%; min-width: 0; }
}
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
