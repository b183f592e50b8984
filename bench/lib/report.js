/** The table: every figure beside its in-run baseline, as a ratio, with its target and ✓/✗. */

const fmt = (n, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n)
    ? "–"
    : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function row(item, what, db, value, unit, baselineName, baseline, target) {
  const ratio = baseline ? value / baseline : undefined;
  let ok = null;
  let targetText = "";
  if (target) {
    targetText = target.text;
    ok = target.check(ratio, value);
  }
  return {
    item,
    what,
    db,
    value,
    unit,
    baseline_name: baselineName,
    baseline,
    ratio,
    target: targetText,
    ok,
  };
}

const atLeast = (min) => ({ text: `≥ ${min}×`, check: (ratio) => ratio >= min });
const atMost = (max) => ({ text: `≤ ${max}×`, check: (ratio) => ratio <= max });

export function buildRows(r) {
  const rows = [];
  if (r.verify) {
    const { raw, foyer, jose, clerk, mcp, raw_mcp } = r.verify.ops;
    rows.push(
      row(
        "1",
        "verifyToken (@foyer/backend, cached key)",
        "",
        foyer,
        "/s",
        "raw node:crypto",
        raw,
        atLeast(0.7),
      ),
    );
    rows.push(
      row("1", "jose jwtVerify (createLocalJWKSet)", "", jose, "/s", "raw node:crypto", raw, {
        text: "Foyer ahead",
        check: () => foyer > jose,
      }),
    );
    rows.push(
      row("1", "@clerk/backend verifyToken (jwtKey)", "", clerk, "/s", "raw node:crypto", raw, {
        text: "Foyer ahead",
        check: () => foyer > clerk,
      }),
    );
    if (mcp !== undefined) {
      rows.push(
        row(
          "1",
          "MCP access token (@foyer/mcp verifyAccessToken, AS keys cached)",
          "",
          mcp,
          "/s",
          "raw node:crypto (same at+jwt)",
          raw_mcp,
          atLeast(0.5),
        ),
      );
    }
  }
  const kinds = ["sqlite", "postgres"].filter((k) => r[k]);
  for (const k of kinds) {
    const m = r[k].mint;
    if (m)
      rows.push(
        row(
          "2",
          "session-token mint, 50 conn",
          k,
          m.rps,
          "req/s",
          "raw RS256 sign",
          m.raw_sign_per_second,
          atLeast(0.6),
        ),
      );
  }
  for (const k of kinds) {
    const o = r[k].oauth_refresh;
    if (o && r[k].mint)
      rows.push(
        row(
          "3",
          `authorization server: refresh-token grant (rotation + ES256 JWT), ${o.chains} chains`,
          k,
          o.rps,
          "req/s",
          "session-token mint",
          r[k].mint.rps,
        ),
      );
  }
  for (const k of kinds) {
    const t = r[k].tokens;
    if (t && r.hello)
      rows.push(
        row(
          "3",
          "Atlassian token fetch, 50 conn",
          k,
          t.rps,
          "req/s",
          "bare node:http",
          r.hello.rps,
          atLeast(0.3),
        ),
      );
  }
  for (const k of kinds) {
    const s = r[k].sign_ins;
    if (!s) continue;
    rows.push(
      row(
        "4",
        "sign-ins (start→emulator→callback→session)",
        k,
        s.per_second,
        "/s",
        "1 core ÷ Foyer CPU",
        1000 / s.foyer_cpu_ms_per_sign_in,
      ),
    );
    rows.push(
      row(
        "4",
        "Foyer CPU per sign-in",
        k,
        s.foyer_cpu_ms_per_sign_in,
        "ms",
        "bare http req CPU",
        r.hello?.cpu_ms_per_request,
        {
          text: "≤ 3 ms",
          check: (_ratio, value) => value <= 3,
        },
      ),
    );
  }
  for (const k of kinds) {
    const sc = r[k].scale;
    if (sc)
      rows.push(
        row(
          "5",
          "token fetch, --workers 2",
          k,
          sc.workers_2.rps,
          "req/s",
          "1 worker",
          sc.workers_1.rps,
          atLeast(1.6),
        ),
      );
  }
  const u = r.postgres?.users_list;
  if (u) {
    const n = fmt(u.users.big);
    const small = fmt(u.users.small);
    rows.push(
      row(
        "5",
        `users list p99, ${n} users`,
        "postgres",
        u.big.list.p99,
        "ms",
        `${small} users`,
        u.small.list.p99,
        atMost(1.5),
      ),
    );
    rows.push(
      row(
        "5",
        `email lookup p99, ${n} users`,
        "postgres",
        u.big.email_lookup.p99,
        "ms",
        `${small} users`,
        u.small.email_lookup.p99,
        atMost(1.5),
      ),
    );
  }
  for (const k of kinds) {
    const x = r[k];
    if (x.idle_rss_mib !== undefined && r.hello) {
      rows.push(
        row(
          "6",
          "RSS of foyer start, idle",
          k,
          x.idle_rss_mib,
          "MiB",
          "bare node:http idle",
          r.hello.idle_rss_mib,
        ),
      );
    }
    if (x.rss_after_load_mib !== undefined && r.hello) {
      rows.push(
        row(
          "6",
          "RSS after item 3",
          k,
          x.rss_after_load_mib,
          "MiB",
          "bare node:http loaded",
          r.hello.rss_after_load_mib,
        ),
      );
    }
  }
  const w = r.webhooks;
  if (w) {
    rows.push(
      row(
        "7",
        "user update with its event (outbox)",
        "sqlite",
        w.updates_with_event_per_second,
        "/s",
        "same update, no event",
        w.updates_without_event_per_second,
        atLeast(0.3),
      ),
    );
    rows.push(
      row(
        "7",
        "webhooks delivered, 1 worker",
        "sqlite",
        w.delivered_per_second,
        "/s",
        "bare POSTs, 8 at a time",
        w.bare_posts_per_second,
        atLeast(0.2),
      ),
    );
  }
  for (const k of ["sqlite", "postgres"]) {
    const s = r.webhook_sign_ins?.[k];
    if (!s) continue;
    rows.push(
      row(
        "7",
        "sign-ins, 1 webhook endpoint (all events)",
        k,
        s.with_endpoint.per_second,
        "/s",
        "same sign-in, no endpoint",
        s.without_endpoint.per_second,
        atLeast(0.5),
      ),
    );
    rows.push(
      row(
        "7",
        "Foyer CPU per sign-in with its deliveries",
        k,
        s.with_endpoint.foyer_cpu_ms_per_sign_in,
        "ms",
        "same sign-in, no endpoint",
        s.without_endpoint.foyer_cpu_ms_per_sign_in,
        atMost(2),
      ),
    );
  }
  return rows;
}

export function formatTable(rows) {
  const digitsFor = (unit) => (unit === "ms" ? 2 : unit === "MiB" ? 1 : 0);
  const header = ["#", "measure", "db", "value", "baseline", "ratio", "target", ""];
  const lines = rows.map((r) => [
    r.item,
    r.what,
    r.db,
    `${fmt(r.value, digitsFor(r.unit))} ${r.unit}`,
    r.baseline === undefined ? "–" : `${fmt(r.baseline, digitsFor(r.unit))} ${r.unit} (${r.baseline_name})`,
    r.ratio === undefined ? "–" : `${fmt(r.ratio, 2)}×`,
    r.target,
    r.ok === null ? "" : r.ok ? "✓" : "✗",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const right = new Set([3, 4, 5]);
  const render = (cells) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [render(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(render)].join("\n");
}
