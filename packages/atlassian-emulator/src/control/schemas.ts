/**
 * zod schemas for the control API and seed files. Strict objects: a misspelt field is a 400,
 * not a silently ignored setting.
 */
import { z } from "zod";
import { FAULT_NAMES, type FaultName } from "../types.js";

export const siteSchema = z.strictObject({
  cloudId: z.string().min(1),
  name: z.string().min(1),
  url: z.string().min(1),
  avatarUrl: z.string().optional(),
  products: z.array(z.enum(["jira", "confluence"])),
});

const accountFields = {
  accountId: z.string().min(1),
  name: z.string().min(1),
  email: z.string().optional(),
  emailVerified: z.boolean().optional(),
  picture: z.string().optional(),
  nickname: z.string().optional(),
  locale: z.string().optional(),
  zoneinfo: z.string().optional(),
  accountStatus: z.enum(["active", "inactive", "closed"]).nullable().optional(),
  accountType: z.string().optional(),
  extendedProfile: z.record(z.string(), z.string()).optional(),
  hideEmail: z.boolean().optional(),
  siteIds: z.array(z.string()),
};

export const accountSchema = z.strictObject(accountFields);
export const accountPatchSchema = z.strictObject(accountFields).omit({ accountId: true }).partial();

export const appSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  name: z.string().min(1),
  callbackUrl: z.string().min(1),
  scopes: z.array(z.string()),
  shared: z.boolean(),
  ownerAccountId: z.string().optional(),
  accessType: z.enum(["resource", "account"]).optional(),
});

export const seedSchema = z.strictObject({
  apps: z.array(appSchema).optional(),
  accounts: z.array(accountSchema).optional(),
  sites: z.array(siteSchema).optional(),
});

export const consentAnswerSchema = z.strictObject({
  accountId: z.string().min(1),
  cloudId: z.string().optional(),
  answer: z.enum(["accept", "cancel"]).optional(),
});

export const faultSchema = z.strictObject({
  name: z.enum(FAULT_NAMES as [FaultName, ...FaultName[]]),
  on: z.union([
    z.boolean(),
    z.strictObject({
      count: z.number().int().positive().optional(),
      retryAfterSeconds: z.number().int().nonnegative().optional(),
      reason: z.string().min(1).optional(),
    }),
  ]),
});

export const grantRefSchema = z.strictObject({ clientId: z.string().min(1), accountId: z.string().min(1) });
export const accountRefSchema = z.strictObject({ accountId: z.string().min(1) });
export const clockSchema = z.strictObject({ ms: z.number().nonnegative().finite() });

const seconds = z.number().int().nonnegative();
export const settingsPatchSchema = z
  .strictObject({
    codeTtlSeconds: seconds,
    accessTokenTtlSeconds: seconds,
    refreshLeewaySeconds: seconds,
    refreshIdleSeconds: seconds,
    refreshAbsoluteSeconds: seconds,
    pkce: z.enum(["accept", "verify"]),
    emitEmailVerified: z.boolean(),
    badCodeStyle: z.enum(["invalid_request", "invalid_grant"]),
    confluenceDeadToken: z.enum(["masked", "unauthorized"]),
  })
  .partial();
