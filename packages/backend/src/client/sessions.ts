import type { PaginatedResponseJSON, SessionListParams } from "@foyer/contract";
import { type Requester, toPage } from "./request.js";
import type { Page, Session } from "./types.js";

export type { SessionListParams };

/** `/v1/sessions…`, in Clerk's paths and shapes. */
export function sessionsApi(request: Requester) {
  return {
    async getSessionList(params: SessionListParams = {}): Promise<Page<Session>> {
      const body = await request<PaginatedResponseJSON<Session>>("GET", "/sessions", {
        query: { ...params, paginated: true },
      });
      return toPage(body);
    },
    getSession: (sessionId: string) => request<Session>("GET", `/sessions/${encodeURIComponent(sessionId)}`),
    /** Ends the session now: no new token is minted; the last one dies at its exp (≤ 60 s). */
    revokeSession: (sessionId: string) =>
      request<Session>("POST", `/sessions/${encodeURIComponent(sessionId)}/revoke`),
  };
}
