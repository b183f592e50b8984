/**
 * Shared page frame. Inline CSS and an inline SVG mark only: the pages must work offline and
 * load nothing from anywhere. hono/jsx escapes every interpolated value.
 */

import { raw } from "hono/html";
import type { Child } from "hono/jsx";

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#172B4D;background:#F4F5F7}
.banner{background:#FFF7D6;color:#533F04;border-bottom:1px solid #F5CD47;padding:8px 16px;text-align:center;font-size:13px}
main{max-width:440px;margin:40px auto;padding:0 16px}
main.wide{max-width:960px}
.brand{display:flex;align-items:center;justify-content:center;gap:8px;margin-bottom:24px;font-size:22px;font-weight:600;color:#253858}
.card{background:#fff;border-radius:4px;box-shadow:0 1px 2px rgba(9,30,66,.25),0 0 1px rgba(9,30,66,.31);padding:32px 40px}
h1{font-size:18px;margin:0 0 16px;text-align:center;color:#172B4D}
h2{font-size:14px;margin:20px 0 8px;color:#44546F}
p{margin:0 0 12px}
.muted{color:#626F86;font-size:13px}
.error{background:#FFECEB;border-left:4px solid #C9372C;padding:10px 12px;border-radius:3px;margin-bottom:16px}
ul.scopes{list-style:none;padding:0;margin:0 0 12px}
ul.scopes li{padding:8px 0;border-bottom:1px solid #EBECF0}
ul.scopes code{font-size:12px;color:#626F86}
fieldset{border:0;padding:0;margin:0 0 16px}
legend{font-weight:600;margin-bottom:8px;color:#44546F}
.option{display:flex;align-items:center;gap:10px;padding:10px 12px;border:2px solid #DFE1E6;border-radius:4px;margin-bottom:8px;cursor:pointer}
.option:hover{background:#F4F5F7}
.option:has(input:checked){border-color:#0C66E4;background:#E9F2FF}
.avatar{width:32px;height:32px;border-radius:50%;background:#0052CC;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-weight:600;flex:none}
.avatar.site{border-radius:4px;background:#00875A}
.field{display:block;margin-bottom:12px}
.field span{display:block;font-size:12px;font-weight:600;color:#44546F;margin-bottom:4px}
input[type=text],input[type=email]{width:100%;padding:8px;border:2px solid #DFE1E6;border-radius:3px;font:inherit}
input:focus-visible,button:focus-visible{outline:2px solid #388BFF;outline-offset:2px}
.actions{display:flex;justify-content:flex-end;gap:8px;margin-top:20px}
button{font:inherit;font-weight:500;border:0;border-radius:3px;padding:8px 14px;cursor:pointer}
button.primary{background:#0C66E4;color:#fff}
button.primary:hover{background:#0055CC}
button.subtle{background:#F1F2F4;color:#172B4D}
button.subtle:hover{background:#DCDFE4}
.divider{text-align:center;color:#626F86;margin:16px 0;font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:24px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #EBECF0;font-size:13px;vertical-align:top}
footer{text-align:center;margin-top:16px}
`;

/** Atlassian-like mark drawn inline (two blue strokes), not Atlassian's logo file. */
function Mark() {
  return (
    <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
      <path
        d="M9.6 14.9c-.4-.5-1.1-.4-1.4.2L2.1 27.3c-.3.6.1 1.3.8 1.3h8.5c.3 0 .6-.2.8-.5 1.8-3.8.7-9.6-2.6-13.2z"
        fill="#2684FF"
      />
      <path
        d="M14.1 3.8c-3.4 5.4-3.2 11.3-1 15.8l4.1 8.5c.2.3.5.5.8.5h8.5c.7 0 1.1-.7.8-1.3L15.6 3.8c-.3-.6-1.1-.6-1.5 0z"
        fill="#0052CC"
      />
    </svg>
  );
}

export function Layout(props: { title: string; wide?: boolean; children?: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} · Foyer Atlassian emulator`}</title>
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <div class="banner" role="note">
            <strong>Foyer Atlassian emulator</strong> — an offline stand-in for auth.atlassian.com. Not the
            real Atlassian; no real account is used.
          </div>
          <main class={props.wide ? "wide" : undefined}>
            <div class="brand">
              <Mark />
              <span>Atlassian</span>
            </div>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

export function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase());
  return letters.join("") || "?";
}
