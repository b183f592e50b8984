/**
 * Items 2 to 6 on one database kind: a real `foyer start` child on a fresh database, the emulator
 * and the load generator in this process.
 *
 * Order: idle RSS → sign-ins (item 4; they also seed the sessions item 2 mints for) → raw RS256
 * signing with the instance's key, then session-token mints (item 2) → Atlassian token fetches
 * (item 3) → RSS after load (item 6) → users list at 1,000 and 100,000 users (item 5,
 * PostgreSQL) → the same token fetch with `--workers 2` on the same database (item 5).
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createKeyring, parseKey } from "../../packages/server/dist/crypto/aead.js";
import { openDatabase } from "../../packages/server/dist/db/database.js";
import { createDatabase } from "../lib/databases.js";
import { clientSession, platform, signIn } from "../lib/flow.js";
import { checked, load } from "../lib/load.js";
import { refreshChains } from "../lib/oauth-server.js";
import { cpuMs, newSecrets, rssMiB, startFoyer } from "../lib/procs.js";
import { signIns } from "../lib/sign-ins.js";
import { log, pool, sleep } from "../lib/util.js";

const SIGN_CHILD = join(dirname(fileURLToPath(import.meta.url)), "..", "children", "sign.js");
const run = promisify(execFile);

/** Raw RS256 signing throughput with the instance's active key, in a child process of its own. */
async function rawSigning(databaseUrl, encryptionKey, instanceId, ms) {
  const db = openDatabase(databaseUrl, { poolSize: 1 });
  let pem;
  try {
    const row = await db.kysely
      .selectFrom("signing_keys")
      .select(["kid", "private_key_enc"])
      .where("instance_id", "=", instanceId)
      .where("retired_at", "is", null)
      .executeTakeFirstOrThrow();
    const keyring = createKeyring(parseKey(encryptionKey, "FOYER_ENCRYPTION_KEY"));
    pem = keyring.decrypt(row.private_key_enc, `signing_keys:${instanceId}:${row.kid}:private_key`);
  } finally {
    await db.close();
  }
  const { stdout } = await run(process.execPath, [SIGN_CHILD, String(ms)], {
    env: { ...process.env, BENCH_SIGNING_PEM: pem },
  });
  return JSON.parse(stdout).ops;
}

/** Inserts `count` users (one email each) straight into an instance's tables, in one statement each. */
async function insertUsers(databaseUrl, instanceId, tag, count) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const base = Date.now() - count * 1000;
    await client.query(
      `insert into users (id, instance_id, first_name, last_name, username, image_url, locale,
         primary_email_address_id, public_metadata, private_metadata, unsafe_metadata,
         last_sign_in_at, created_at, updated_at)
       select 'user_' || $2 || lpad(g::text, 9, '0'), $1, 'First' || g, 'Last' || g, null, null, 'en',
         'idn_' || $2 || lpad(g::text, 9, '0'), '{}', '{}', '{}', null, $3::bigint + g * 1000, $3::bigint + g * 1000
       from generate_series(1, $4::int) g`,
      [instanceId, tag, base, count],
    );
    await client.query(
      `insert into email_addresses (id, instance_id, user_id, email_address, verified,
         verification_strategy, created_at)
       select 'idn_' || $2 || lpad(g::text, 9, '0'), $1, 'user_' || $2 || lpad(g::text, 9, '0'),
         $2 || '.user' || g || '@bench.example', 1, 'from_oauth_atlassian', $3::bigint + g * 1000
       from generate_series(1, $4::int) g`,
      [instanceId, tag, base, count],
    );
    await client.query("analyze users; analyze email_addresses");
  } finally {
    await client.end();
  }
}

/** The plans PostgreSQL picks for the list and email lookup of the 100,000-user instance. */
async function explainUsersList(databaseUrl, instanceId, email) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plan = async (text, values) =>
      (await client.query(`explain ${text}`, values)).rows.map((r) => r["QUERY PLAN"]).join("\n");
    return {
      list: await plan(
        `select * from users where instance_id = $1 order by created_at desc, id desc limit 50 offset 0`,
        [instanceId],
      ),
      email_lookup: await plan(
        `select * from users where instance_id = $1 and id in (select user_id from email_addresses
           where instance_id = $1 and lower(email_address) in ($2))
         order by created_at desc, id desc limit 10 offset 0`,
        [instanceId, email],
      ),
    };
  } finally {
    await client.end();
  }
}

async function usersList(foyer, plat, databaseUrl, { bigUsers, smallUsers, seconds, warmupSeconds }) {
  const small = await plat.newInstance("Bench 1k");
  const big = await plat.newInstance("Bench 100k");
  const started = performance.now();
  await insertUsers(databaseUrl, small.id, "s", smallUsers);
  await insertUsers(databaseUrl, big.id, "b", bigUsers);
  log(`inserted ${bigUsers + smallUsers} users in ${Math.round(performance.now() - started)} ms`);
  const out = { users: { small: smallUsers, big: bigUsers } };
  for (const [name, inst, count] of [
    ["small", small, smallUsers],
    ["big", big, bigUsers],
  ]) {
    const headers = { authorization: `Bearer ${inst.secretKey}` };
    const tag = name === "small" ? "s" : "b";
    const list = await load({
      url: `${foyer.publicUrl}/v1/users?limit=50&order_by=-created_at`,
      connections: 10,
      seconds,
      warmupSeconds,
      headers,
    });
    const lookup = await load({
      url: `${foyer.publicUrl}/v1/users`,
      connections: 10,
      seconds,
      warmupSeconds,
      headers,
      next: () => ({
        path: `/v1/users?email_address=${tag}.user${1 + Math.floor(Math.random() * count)}%40bench.example`,
      }),
    });
    out[name] = { list: checked("users list", list), email_lookup: checked("email lookup", lookup) };
  }
  out.explain = await explainUsersList(databaseUrl, big.id, `b.user${Math.ceil(bigUsers / 2)}@bench.example`);
  return out;
}

async function tokenFetch(foyer, secretKey, userIds, opts) {
  let i = 0;
  let before = 0;
  const r = checked(
    "token fetch",
    await load({
      url: `${foyer.publicUrl}/v1/users/${userIds[0]}/oauth_access_tokens/oauth_atlassian`,
      connections: 50,
      seconds: opts.seconds,
      warmupSeconds: opts.warmupSeconds,
      headers: { authorization: `Bearer ${secretKey}` },
      next: () => ({
        path: `/v1/users/${userIds[i++ % userIds.length]}/oauth_access_tokens/oauth_atlassian`,
      }),
      beforeMeasure: () => {
        before = cpuMs(foyer.pid);
      },
    }),
  );
  // With --workers the child is the primary, which serves nothing: no CPU figure then.
  return opts.workers > 1 ? r : { ...r, foyer_cpu_ms_per_request: (cpuMs(foyer.pid) - before) / r.total };
}

export async function benchServer(kind, emu, opts) {
  const out = { kind };
  const db = await createDatabase(kind);
  const secrets = newSecrets();
  const want = (name) => !opts.only || opts.only.includes(name);
  let foyer;
  try {
    foyer = await startFoyer({
      databaseUrl: db.url,
      atlassianFor: emu.appFor,
      dataDir: db.dir,
      secrets,
      profileDir: opts.profileDir,
    });
    await sleep(opts.settleMs);
    out.idle_rss_mib = rssMiB(foyer.pid);
    const plat = platform(foyer, secrets.platformToken);
    const instance = await plat.defaultInstance();

    let jars;
    if (want("signins")) {
      log(`${kind}: sign-ins`);
      const signin = await signIns(foyer, instance.id, opts.signIns);
      jars = signin.jars;
      const { jars: _, ...figures } = signin;
      out.sign_ins = figures;
    } else {
      // Only the sessions the other items need (keeps a --profile of them free of sign-ins).
      jars = await pool(Array.from({ length: Math.min(opts.sessions, 20) }), 4, () =>
        signIn(foyer, instance.id),
      );
    }

    const sessions = await pool(jars.slice(0, opts.sessions), 8, (jar) =>
      clientSession(foyer, instance.id, jar),
    );
    if (want("mint")) {
      log(`${kind}: raw RS256 signing, then session-token mints`);
      const raw = await rawSigning(db.url, secrets.encryptionKey, instance.id, opts.seconds * 1000);
      let i = 0;
      const mint = await load({
        url: `${foyer.publicUrl}/fapi/${instance.id}/v1/client/sessions/${sessions[0].sessionId}/tokens`,
        method: "POST",
        connections: 50,
        seconds: opts.seconds,
        warmupSeconds: opts.warmupSeconds,
        next: () => {
          const s = sessions[i++ % sessions.length];
          return {
            method: "POST",
            path: `/fapi/${instance.id}/v1/client/sessions/${s.sessionId}/tokens`,
            headers: { cookie: s.cookie },
          };
        },
      });
      out.mint = {
        ...checked("session-token mint", mint),
        raw_sign_per_second: raw,
        sessions: sessions.length,
      };
    }

    if (want("oauth")) {
      log(`${kind}: authorization-server refresh-token grants`);
      out.oauth_refresh = await refreshChains(foyer, plat, instance.id, jars, {
        chains: Math.min(8, jars.length),
        seconds: opts.seconds,
      });
    }

    const userIds = [...new Set(sessions.map((s) => s.userId))];
    if (want("tokens") || want("scale")) {
      log(`${kind}: Atlassian token fetch`);
      out.tokens = await tokenFetch(foyer, instance.secretKey, userIds, opts);
      out.rss_after_load_mib = rssMiB(foyer.pid);
    }

    if (kind === "postgres" && want("users")) {
      log(`${kind}: users list at ${opts.users.small} and ${opts.users.big} users`);
      out.users_list = await usersList(foyer, plat, db.url, {
        bigUsers: opts.users.big,
        smallUsers: opts.users.small,
        seconds: opts.seconds,
        warmupSeconds: opts.warmupSeconds,
      });
    }
    await foyer.stop();
    foyer = undefined;

    if (want("scale")) {
      log(`${kind}: Atlassian token fetch with --workers 2`);
      foyer = await startFoyer({
        databaseUrl: db.url,
        atlassianFor: emu.appFor,
        dataDir: db.dir,
        secrets,
        workers: 2,
      });
      out.scale = {
        workers_2: await tokenFetch(foyer, instance.secretKey, userIds, { ...opts, workers: 2 }),
      };
      await foyer.stop();
      foyer = undefined;
      // The same measurement on one worker right after, so both see the same (noisy) machine.
      const single = await startFoyer({
        databaseUrl: db.url,
        atlassianFor: emu.appFor,
        dataDir: db.dir,
        secrets,
      });
      try {
        out.scale.workers_1 = await tokenFetch(single, instance.secretKey, userIds, opts);
      } finally {
        await single.stop();
      }
    }
  } finally {
    await foyer?.stop();
    await db.drop();
  }
  return out;
}
