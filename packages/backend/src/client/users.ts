import { type Requester, toPage } from "./request.js";
import type { DeletedObject, OAuthAccessToken, Page, User } from "./types.js";

export interface UserListParams {
  limit?: number;
  offset?: number;
  /** e.g. "-created_at" */
  order_by?: string;
  query?: string;
  user_id?: string[];
  email_address?: string[];
}

export interface UpdateUserParams {
  first_name?: string | null;
  last_name?: string | null;
  username?: string | null;
  public_metadata?: Record<string, unknown>;
  private_metadata?: Record<string, unknown>;
  unsafe_metadata?: Record<string, unknown>;
}

const id = (value: string) => encodeURIComponent(value);

/** `/v1/users…`, in Clerk's paths and shapes. */
export function usersApi(request: Requester) {
  const getCount = async (params: Omit<UserListParams, "limit" | "offset" | "order_by"> = {}) =>
    (await request<{ total_count: number }>("GET", "/users/count", { query: { ...params } })).total_count;
  return {
    /** One page of users and the total count (two calls, as Clerk's SDK does). */
    async getUserList(params: UserListParams = {}): Promise<Page<User>> {
      const { limit, offset, order_by, ...filters } = params;
      const [body, total] = await Promise.all([
        request<User[] | { data: User[]; total_count: number }>("GET", "/users", { query: { ...params } }),
        getCount(filters),
      ]);
      return { data: toPage(body).data, totalCount: total };
    },
    getUser: (userId: string) => request<User>("GET", `/users/${id(userId)}`),
    getCount,
    updateUser: (userId: string, params: UpdateUserParams) =>
      request<User>("PATCH", `/users/${id(userId)}`, { body: params }),
    deleteUser: (userId: string) => request<DeletedObject>("DELETE", `/users/${id(userId)}`),
    deleteUserExternalAccount: (userId: string, externalAccountId: string) =>
      request<DeletedObject>("DELETE", `/users/${id(userId)}/external_accounts/${id(externalAccountId)}`),
    /**
     * The user's fresh Atlassian access token (refreshed by Foyer when about to expire), with its
     * scopes and sites. `provider` is "atlassian" (Clerk's "oauth_" prefix is added).
     */
    async getOAuthAccessToken(userId: string, provider: "atlassian"): Promise<Page<OAuthAccessToken>> {
      const body = await request<OAuthAccessToken[] | { data: OAuthAccessToken[]; total_count: number }>(
        "GET",
        `/users/${id(userId)}/oauth_access_tokens/oauth_${provider}`,
        { query: { paginated: true } },
      );
      return toPage(body);
    },
  };
}
