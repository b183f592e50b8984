/**
 * The /ex/{product}/{cloudid}/... gateway routes (atlassian-3lo §6): Jira and Confluence, each
 * behind the gateway checks of gate.ts, and the gateway's 404 for anything else.
 */
import { Hono } from "hono";
import type { EmulatorState } from "../state.js";
import { confluenceRoutes } from "./confluence.js";
import { jiraRoutes } from "./jira.js";

export function productRoutes(state: EmulatorState): Hono {
  const app = new Hono();
  app.route("/", jiraRoutes(state));
  app.route("/", confluenceRoutes(state));
  app.all("/ex/*", (c) => c.json({ code: 404, message: "Not Found" }, 404));
  return app;
}
