/**
 * The error pages `/authorize` shows instead of redirecting (atlassian-3lo §1, §10a 1-3). Texts
 * follow the ones users have reported from the real consent screen.
 */
import type { ErrorPageProps } from "../pages/error-page.js";
import { joinApis } from "../scopes.js";

export interface AuthorizeProblem {
  status: 400 | 403 | 404;
  page: ErrorPageProps;
}

const SOMETHING_WENT_WRONG = "Something went wrong";

export const problems = {
  resourceParam: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message: "The authorization request includes a resource parameter, which Atlassian does not support.",
      hint: "Remove the RFC 8707 resource parameter: tokens requested with it cannot be exchanged (invalid_target).",
    },
  }),
  unknownClient: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message:
        "We couldn't find the app you're trying to authorize. Check the client_id in the authorization URL.",
    },
  }),
  redirectMismatch: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message:
        "The redirect_uri in the authorization URL does not match the callback URL configured for this app.",
      hint: "The callback URL must match exactly, including the scheme, port, path and any trailing slash.",
    },
  }),
  responseType: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message: "Unsupported response_type. Atlassian only supports response_type=code.",
    },
  }),
  noSupportedScope: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message:
        "This app has not requested any supported Atlassian scopes. Check the authorization URL for your app and ensure that it includes valid scopes.",
    },
  }),
  scopesNotAdded: (missing: string[]): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message: `This app has requested ${joinApis(missing)} scopes that have not been added to the app. Configure the app at https://developer.atlassian.com/apps and add the following scopes to the app: ${missing.join(", ")}.`,
    },
  }),
  privateApp: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message: "This app isn't available to you. Only its developer can use it until sharing is enabled.",
      hint: "Developers: enable Distribution → Sharing for the app in the developer console.",
    },
  }),
  noAccessibleSite: (scopes: string[]): AuthorizeProblem => ({
    status: 403,
    page: {
      title: "Access denied",
      message: `Access denied. This app requires access to a ${joinApis(scopes)} site which you don't have or don't have the permission to access.`,
    },
  }),
  unknownAccount: (): AuthorizeProblem => ({
    status: 400,
    page: { title: SOMETHING_WENT_WRONG, message: "That Atlassian account does not exist in the emulator." },
  }),
  siteNotAvailable: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message: "The chosen site is not one this account can grant to the app.",
    },
  }),
  expiredRequest: (): AuthorizeProblem => ({
    status: 400,
    page: {
      title: SOMETHING_WENT_WRONG,
      message: "This authorization request has expired or was already answered. Start again from the app.",
    },
  }),
};
