/**
 * The example's configuration: environment variables only, so the same code runs against a
 * development Foyer on a laptop or a production Foyer with a real Atlassian app.
 */
export interface JiraHelloOptions {
  /** `pk_test_…` / `pk_live_…`: the page's @foyer/react finds the instance's Frontend API in it. */
  publishableKey: string;
  /** `sk_test_…` / `sk_live_…`: the server's key for the Backend API. Never sent to the browser. */
  secretKey: string;
  /** Foyer's public URL (the Backend API is under `/v1`). */
  apiUrl: string;
  /** The origin users open the app at: the only `azp` its session tokens may carry. */
  appUrl: string;
  port: number;
  host: string;
  /** The issue search the app runs on each Jira site. */
  jql: string;
}

export const DEFAULT_JQL = "assignee = currentUser() ORDER BY updated DESC";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`jira-hello cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function origin(value: string, name: string, problems: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
    return url.href.replace(/\/+$/, "");
  } catch {
    problems.push(`${name} must be an http(s) URL (got "${value}").`);
    return value;
  }
}

/** Reads and checks every variable; all problems are reported together. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): JiraHelloOptions {
  const problems: string[] = [];
  const publishableKey = env.FOYER_PUBLISHABLE_KEY ?? "";
  if (!/^pk_(test|live)_/.test(publishableKey)) {
    problems.push("FOYER_PUBLISHABLE_KEY must be the instance's publishable key (pk_test_… or pk_live_…).");
  }
  const secretKey = env.FOYER_SECRET_KEY ?? "";
  if (!/^sk_(test|live)_/.test(secretKey)) {
    problems.push("FOYER_SECRET_KEY must be a secret key of the same instance (sk_test_… or sk_live_…).");
  }
  let apiUrl = "";
  if (env.FOYER_API_URL) apiUrl = origin(env.FOYER_API_URL, "FOYER_API_URL", problems);
  else problems.push("FOYER_API_URL must be Foyer's public URL, e.g. http://localhost:3000.");

  let port = env.PORT ? Number(env.PORT) : 3002;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be a port number (got "${env.PORT}").`);
    port = 3002;
  }
  const appUrl = origin(env.APP_URL || `http://localhost:${port}`, "APP_URL", problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    publishableKey,
    secretKey,
    apiUrl,
    appUrl: new URL(appUrl).origin,
    port,
    host: env.HOST || "127.0.0.1",
    jql: env.JIRA_JQL || DEFAULT_JQL,
  };
}
