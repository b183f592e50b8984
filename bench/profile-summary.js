/**
 * Summarises a V8 .cpuprofile (from `node bench/run.js --profile dir`, which runs the Foyer
 * children under `node --cpu-prof`): the top functions by self time, and self time per package.
 *
 *   node bench/profile-summary.js dir-or-file.cpuprofile [top=25]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [target, topArg] = process.argv.slice(2);
if (!target) {
  console.error("usage: node bench/profile-summary.js <dir|file.cpuprofile> [top]");
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => join(target, f))
  : [target];
const top = Number(topArg ?? 25);

function where(url) {
  if (!url) return "(native/V8)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const p = /packages\/([^/]+)\/dist\/(.*)$/.exec(url);
  if (p) return `@foyer/${p[1]}`;
  if (url.startsWith("node:")) return "node core";
  return url.replace(/^file:\/\//, "");
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // timeDeltas[i] is the time before samples[i]: attribute it to that sample's node.
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const fnTotals = new Map();
  const pkgTotals = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const short = callFrame.url.replace(/^.*\/(node_modules|packages)\//, "");
    const key = `${callFrame.functionName || "(anonymous)"}  ${short}:${callFrame.lineNumber + 1}`;
    fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
    const pkg = callFrame.functionName === "(idle)" ? "(idle)" : where(callFrame.url);
    pkgTotals.set(pkg, (pkgTotals.get(pkg) ?? 0) + us);
  }
  const idle = fnTotals.get("(idle)  :0") ?? 0;
  const busy = total - idle;
  const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
  console.log("\nself time by package (of busy time):");
  for (const [pkg, us] of [...pkgTotals]
    .filter(([p]) => p !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)) {
    console.log(`  ${pct(us)}  ${pkg}`);
  }
  console.log(`\ntop ${top} functions by self time (of busy time):`);
  for (const [fn, us] of [...fnTotals]
    .filter(([f]) => !f.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    console.log(`  ${pct(us)}  ${fn}`);
  }
}
