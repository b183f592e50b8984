/** The hosted pages' stylesheet: inline (with the page's CSP nonce), no external fonts or assets. */
export const PAGE_CSS = `
:root{--bg:#f4f5f7;--card:#fff;--text:#172b4d;--muted:#5e6c84;--brand:#0c66e4;--brand-dark:#0055cc;--danger:#ae2e24;--danger-bg:#ffeceb;--border:#dfe1e6;--ok:#216e4e}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:400px;margin:24px;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:32px;box-shadow:0 1px 3px rgba(9,30,66,.13)}
h1{font-size:22px;margin:0 0 4px}
p.sub{margin:0 0 24px;color:var(--muted)}
.btn{display:flex;width:100%;align-items:center;justify-content:center;gap:10px;padding:11px 16px;border-radius:8px;border:1px solid var(--brand);background:var(--brand);color:#fff;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
.btn:hover{background:var(--brand-dark)}
.btn:focus-visible{outline:3px solid #85b8ff;outline-offset:2px}
.btn.secondary{background:#fff;color:var(--text);border-color:var(--border)}
.alert{border-radius:8px;padding:12px 14px;margin:0 0 20px;background:var(--danger-bg);color:var(--danger);border:1px solid #fd9891}
.note{margin-top:20px;padding:10px 12px;border-radius:8px;background:#e9f2ff;color:#09326c;font-size:13px}
.user{display:flex;gap:12px;align-items:center;margin:0 0 24px}
.user img{width:48px;height:48px;border-radius:50%;background:var(--bg)}
form+form{margin-top:10px}
code{word-break:break-all}
footer{margin-top:24px;text-align:center;color:var(--muted);font-size:12px}
`;
