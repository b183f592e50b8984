import type {
  PaginatedResponseJSON,
  TotalCountJSON,
  UpdateUserMetadataParams,
  UpdateUserParams,
  UserListParams,
} from "@foyer/contract";
import { type Requester, toPage } from "./request.js";
import type { DeletedObject, OAuthAccessToken, OrganizationMembership, Page, User } from "./types.js";
import { userRestrictionsApi } from "./user-restrictions.js";

export type { UpdateUserMetadataParams, UpdateUserParams, UserListParams };

const id = (value: string) => encodeURIComponent(value);

/** `/v1/users…`, in Clerk's paths and shapes. */
export function usersApi(request: Requester) {
  const getCount = async (params: Omit<UserListParams, "limit" | "offset" | "order_by"> = {}) =>
    (await request<TotalCountJSON>("GET", "/users/count", { query: { ...params } })).total_count;
  return {
    ...userRestrictionsApi(request),
    /** One page of users and the total count (two calls, as Clerk's SDK does). */
    async getUserList(params: UserListParams = {}): Promise<Page<User>> {
      const { limit, offset, order_by, ...filters } = params;
      const [body, total] = await Promise.all([
        request<User[] | PaginatedResponseJSON<User>>("GET", "/users", { query: { ...params } }),
        getCount(filters),
      ]);
      return { data: toPage(body).data, totalCount: total };
    },
    getUser: (userId: string) => request<User>("GET", `/users/${id(userId)}`),
    getCount,
    /** Replaces the fields given (null clears a name or the username); answers the updated user. */
    updateUser: (userId: string, params: UpdateUserParams) =>
      request<User>("PATCH", `/users/${id(userId)}`, { body: params }),
    /** Deep-merges into the stored metadata (a null value removes its key), as Clerk's does. */
    updateUserMetadata: (userId: string, params: UpdateUserMetadataParams) =>
      request<User>("PATCH", `/users/${id(userId)}/metadata`, { body: params }),
    /** The user's organization memberships, newest first (Clerk's `users.getOrganizationMembershipList`). */
    async getOrganizationMembershipList(
      userId: string,
      params: { limit?: number; offset?: number } = {},
    ): Promise<Page<OrganizationMembership>> {
      return toPage(
        await request<PaginatedResponseJSON<OrganizationMembership>>(
          "GET",
          `/users/${id(userId)}/organization_memberships`,
          { query: { ...params } },
        ),
      );
    },
    deleteUser: (userId: string) => request<DeletedObject>("DELETE", `/users/${id(userId)}`),
    deleteUserExternalAccount: (userId: string, externalAccountId: string) =>
      request<DeletedObject>("DELETE", `/users/${id(userId)}/external_accounts/${id(externalAccountId)}`),
    /**
     * The user's fresh Atlassian access token (refreshed by Foyer when about to expire), with its
     * scopes and sites. `provider` is "atlassian" (Clerk's "oauth_" prefix is added).
     */
    async getOAuthAccessToken(userId: string, provider: "atlassian"): Promise<Page<OAuthAccessToken>> {
      const body = await request<OAuthAccessToken[] | PaginatedResponseJSON<OAuthAccessToken>>(
        "GET",
        `/users/${id(userId)}/oauth_access_tokens/oauth_${provider}`,
        { query: { paginated: true } },
      );
      return toPage(body);
    },
    /**
     * The same tokens, refreshed at Atlassian now even if they look fresh: call this when
     * Atlassian refused a token with 401 before its `expires_at` (revoked early, scopes changed).
     * Single-flight with every other refresh of the account, and a repeat within 5 s answers the
     * token just refreshed rather than rotating again. An account whose grant turns out dead is
     * an item with `token: null` and `error.code` `oauth_reauthorization_required` (or, when
     * every account fails, a FoyerApiError with that code).
     */
    async refreshOAuthAccessToken(userId: string, provider: "atlassian"): Promise<Page<OAuthAccessToken>> {
      const body = await request<OAuthAccessToken[] | PaginatedResponseJSON<OAuthAccessToken>>(
        "POST",
        `/users/${id(userId)}/oauth_access_tokens/oauth_${provider}/refresh`,
        { query: { paginated: true } },
      );
      return toPage(body);
    },
  };
}
