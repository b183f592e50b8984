/**
 * verifyWebhook against signatures made by the reference `standardwebhooks` package (so the SDK
 * agrees with every other Standard Webhooks sender, Foyer included): accepted as sent, refused
 * on a tampered body, a stale or future timestamp, a wrong secret, missing headers; accepted with
 * several signatures (after a rotation) and under Svix's header names.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook, WebhookVerificationError } from "./verify-webhook.js";

const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const other = `whsec_${Buffer.from("fedcba9876543210fedcba9876543210").toString("base64")}`;
const body = JSON.stringify({ object: "event", id: "evt_1", type: "user.created", data: { id: "user_1" } });

function delivery(opts: { secrets?: string[]; at?: Date; body?: string; prefix?: string } = {}) {
  const at = opts.at ?? new Date();
  const sig = (opts.secrets ?? [secret]).map((s) => new Webhook(s).sign("evt_1", at, body)).join(" ");
  const p = opts.prefix ?? "webhook";
  return new Request("http://app.test/hooks", {
    method: "POST",
    headers: {
      [`${p}-id`]: "evt_1",
      [`${p}-timestamp`]: String(Math.floor(at.getTime() / 1000)),
      [`${p}-signature`]: sig,
    },
    body: opts.body ?? body,
  });
}

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return "accepted";
  } catch (err) {
    return err instanceof WebhookVerificationError ? err.code : String(err);
  }
}

describe("verifyWebhook", () => {
  it("accepts a delivery signed by the secret and returns the event", async () => {
    expect(await verifyWebhook(delivery(), secret)).toMatchObject({
      type: "user.created",
      data: { id: "user_1" },
    });
  });

  it("refuses a tampered body", async () => {
    expect(await codeOf(verifyWebhook(delivery({ body: body.replace("user_1", "user_2") }), secret))).toBe(
      "webhook_signature_invalid",
    );
  });

  it("refuses a timestamp more than 5 minutes old or ahead", async () => {
    expect(await codeOf(verifyWebhook(delivery({ at: new Date(Date.now() - 301_000) }), secret))).toBe(
      "webhook_timestamp_invalid",
    );
    expect(await codeOf(verifyWebhook(delivery({ at: new Date(Date.now() + 301_000) }), secret))).toBe(
      "webhook_timestamp_invalid",
    );
  });

  it("refuses the wrong secret and missing headers", async () => {
    expect(await codeOf(verifyWebhook(delivery(), other))).toBe("webhook_signature_invalid");
    const bare = new Request("http://app.test/hooks", { method: "POST", body });
    expect(await codeOf(verifyWebhook(bare, secret))).toBe("webhook_headers_missing");
  });

  it("accepts any one of several signatures (a rotation), and Svix's header names", async () => {
    expect(await codeOf(verifyWebhook(delivery({ secrets: [other, secret] }), secret))).toBe("accepted");
    expect(await codeOf(verifyWebhook(delivery({ secrets: [other, secret] }), other))).toBe("accepted");
    expect(await codeOf(verifyWebhook(delivery({ prefix: "svix" }), secret))).toBe("accepted");
  });
});
