/**
 * Avatars served by the emulator itself. Atlassian's avatar CDN is out of reach offline, and a
 * broken image is the first thing a newcomer would see, so accounts and sites without a seeded
 * picture point here: an initials badge in a colour derived from the id.
 */
import { createHash } from "node:crypto";
import { Hono } from "hono";

export const AVATAR_PATH = "/__avatars";

export function avatarUrl(origin: string, id: string, label: string): string {
  return `${origin}${AVATAR_PATH}/${encodeURIComponent(id)}.svg?label=${encodeURIComponent(label)}`;
}

function initials(label: string): string {
  const words = label.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words[words.length - 1]![0]] : [label.trim()[0] ?? "?"];
  return letters.join("").toUpperCase();
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function avatarRoutes(): Hono {
  const app = new Hono();
  app.get(`${AVATAR_PATH}/:file`, (c) => {
    const id = c.req.param("file").replace(/\.svg$/, "");
    const hue = createHash("sha256").update(id).digest()[0]! * (360 / 256);
    const text = escapeXml(initials(c.req.query("label") ?? id).slice(0, 2));
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><rect width="96" height="96" rx="48" fill="hsl(${Math.round(hue)},55%,45%)"/><text x="48" y="60" font-family="system-ui,sans-serif" font-size="38" font-weight="600" fill="#fff" text-anchor="middle">${text}</text></svg>`;
    return c.body(svg, 200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" });
  });
  return app;
}
