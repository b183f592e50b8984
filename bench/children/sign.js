/**
 * The limit of a session-token mint: raw RS256 signatures with an instance's own private key
 * (PEM in BENCH_SIGNING_PEM), one thread in one process, the same model as `foyer start`.
 * Signs a session-token-sized input back to back for argv[2] ms and prints {"ops": n/s}.
 */
import { createPrivateKey, sign } from "node:crypto";

const key = createPrivateKey(process.env.BENCH_SIGNING_PEM);
const ms = Number(process.argv[2]);
const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "ins_key_x", typ: "JWT" })).toString(
  "base64url",
);
const iat = Math.floor(Date.now() / 1000);
const payload = Buffer.from(
  JSON.stringify({
    iss: "http://127.0.0.1:3000/fapi/ins_0000000000000000000000000",
    sub: "user_0000000000000000000000000",
    sid: "sess_0000000000000000000000000",
    iat,
    nbf: iat,
    exp: iat + 60,
    v: 2,
    tkn: "session",
  }),
).toString("base64url");
const input = Buffer.from(`${header}.${payload}`);

function rate(duration) {
  let n = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < duration) {
    for (let i = 0; i < 20; i++) sign("sha256", input, key);
    n += 20;
    elapsed = performance.now() - started;
  }
  return (n * 1000) / elapsed;
}

rate(Math.min(500, ms / 4)); // warm-up
process.stdout.write(`${JSON.stringify({ ops: rate(ms) })}\n`);
