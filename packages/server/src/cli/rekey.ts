import { keySources, migrateDatabase } from "../bootstrap.js";
import { countValuesByKey, totalsByKey } from "../db/key-usage.js";
import { rekey } from "../db/rekey.js";
import type { Services } from "../services.js";

/**
 * `foyer rekey [--batch-size N] [--max-batches N]` and `foyer rekey --status [--json]`: finish an
 * encryption-key rotation. The operator has made the new key FOYER_ENCRYPTION_KEY and listed the
 * old one in FOYER_PREVIOUS_ENCRYPTION_KEYS; rekey re-encrypts what still uses an old key, while
 * Foyer keeps serving; --status says what is left and which keys it needs.
 */
export interface RekeyArgs {
  status: boolean;
  json: boolean;
  batchSize: number | undefined;
  maxBatches: number | undefined;
}

/** The flags, or undefined when they make no sense (the caller prints the usage). */
export function parseRekeyArgs(args: string[]): RekeyArgs | undefined {
  const parsed: RekeyArgs = { status: false, json: false, batchSize: undefined, maxBatches: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--status") parsed.status = true;
    else if (arg === "--json") parsed.json = true;
    else if (arg === "--batch-size" || arg === "--max-batches") {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1) return undefined;
      if (arg === "--batch-size") parsed.batchSize = n;
      else parsed.maxBatches = n;
    } else return undefined;
  }
  if (parsed.json && !parsed.status) return undefined;
  if (parsed.status && (parsed.batchSize || parsed.maxBatches)) return undefined;
  return parsed;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Where each key id comes from, in words; "unknown key" for one that is not configured. */
function describeKey(svc: Services, id: string): string {
  return keySources(svc.config).get(id) ?? "unknown key: not configured";
}

export async function rekeyStatus(svc: Services, json: boolean, out: (line: string) => void): Promise<void> {
  const counts = await countValuesByKey(svc.db);
  const current = svc.keyring.currentKeyId;
  const byKey = Object.fromEntries([...totalsByKey(counts)].filter(([id]) => id !== current).sort());
  const remaining = Object.values(byKey).reduce((a, b) => a + b, 0);
  if (json) {
    const sources = Object.fromEntries(
      Object.keys(byKey).map((id) => [id, keySources(svc.config).get(id) ?? null]),
    );
    out(JSON.stringify({ remaining, by_key: byKey, current_key: current, configured_in: sources }));
    return;
  }
  const onCurrent = totalsByKey(counts).get(current) ?? 0;
  out(`Current key ${current} (FOYER_ENCRYPTION_KEY): ${plural(onCurrent, "value")}.`);
  if (remaining === 0) {
    out("No value uses an old key: FOYER_PREVIOUS_ENCRYPTION_KEYS is no longer needed.");
    return;
  }
  out(`${plural(remaining, "value")} still use old keys:`);
  for (const [id, n] of Object.entries(byKey)) {
    out(`  key ${id}: ${plural(n, "value")} (${describeKey(svc, id)})`);
    for (const c of counts.filter((c) => c.keyId === id)) out(`    ${c.table}.${c.column}: ${c.count}`);
  }
  const unknown = Object.keys(byKey).filter((id) => !svc.keyring.keyIds.includes(id));
  if (unknown.length > 0) {
    out(`Put key ${unknown.join(", ")} back in FOYER_PREVIOUS_ENCRYPTION_KEYS, then run \`foyer rekey\`.`);
  } else out("Run `foyer rekey` to re-encrypt them under the current key.");
}

export async function runRekey(svc: Services, args: RekeyArgs, out: (line: string) => void): Promise<number> {
  await migrateDatabase(svc.config.databaseUrl, svc.db.schema);
  // Refuse before writing anything when a value needs a key this process does not have: it
  // could not re-encrypt it, and the operator must bring that key back first.
  const unknown = [...totalsByKey(await countValuesByKey(svc.db))].filter(
    ([id]) => !svc.keyring.keyIds.includes(id),
  );
  if (unknown.length > 0) {
    const list = unknown.map(([id, n]) => `${id} (${plural(n, "value")})`).join(", ");
    out(
      `Stored values need encryption key ${list}, which is not configured. Put it back in ` +
        "FOYER_PREVIOUS_ENCRYPTION_KEYS and run `foyer rekey` again. Nothing was changed.",
    );
    return 1;
  }
  const current = svc.keyring.currentKeyId;
  out(`Re-encrypting every value not under the current key ${current}…`);
  const result = await rekey(svc.db, svc.keyring, {
    batchSize: args.batchSize,
    maxBatches: args.maxBatches,
    progress: out,
  });
  const meanwhile = result.changedMeanwhile
    ? ` ${plural(result.changedMeanwhile, "value")} changed meanwhile and ${result.changedMeanwhile === 1 ? "was" : "were"} left as written.`
    : "";
  out(`${plural(result.rekeyed, "value")} re-encrypted under key ${current}.${meanwhile}`);
  if (!result.complete) {
    out(
      `Stopped after ${args.maxBatches} batch${args.maxBatches === 1 ? "" : "es"} as asked: ${plural(result.remaining, "value")} ` +
        "still use old keys. Run `foyer rekey` again to go on.",
    );
    return 0;
  }
  if (result.remaining === 0) {
    out(
      "Done: no value uses an old key. FOYER_PREVIOUS_ENCRYPTION_KEYS may now be emptied (then restart Foyer).",
    );
    return 0;
  }
  out(
    `${plural(result.remaining, "value")} still use old keys` +
      (result.unreadable ? ` (${result.unreadable} did not decrypt and were left untouched)` : "") +
      ". If a Foyer process still runs with an old key as FOYER_ENCRYPTION_KEY, restart it with the new one, " +
      "then run `foyer rekey` again; `foyer rekey --status` lists what is left.",
  );
  return 1;
}
