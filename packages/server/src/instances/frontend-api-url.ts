import { ApiError } from "../errors/api-error.js";
import { isLoopbackHost } from "./origins.js";

/**
 * A production instance's own Frontend API URL: an https origin pointing at this server (plain
 * http only on loopback hosts, for local trials). Returns the normalised origin.
 */
export function parseFrontendApiUrl(value: string): string {
  const invalid = () =>
    new ApiError("form_param_invalid", {
      longMessage:
        "frontend_api_url must be an https origin such as https://clerk.example.com (http only on loopback).",
      meta: { param_name: "frontend_api_url" },
    });
  if (value.length > 200) throw invalid();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid();
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  const bare =
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash &&
    (url.pathname === "/" || url.pathname === "");
  if (!secure || !bare) throw invalid();
  return url.origin;
}
