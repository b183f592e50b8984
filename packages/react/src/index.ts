/**
 * @foyer/react: Foyer's provider, hooks and components for React 18 and 19, on top of @foyer/js.
 * Styles ship as a stylesheet (`import "@foyer/react/styles.css"` or a `<link>` to it): no inline
 * styles, no injected `<style>` or scripts, no external assets, so a strict CSP allows them.
 */
export {
  type AtlassianAccount,
  type AtlassianSite,
  atlassianAccountsOf,
  hasAtlassianScopes,
  type UseAtlassianAccountsReturn,
  useAtlassianAccounts,
} from "./atlassian-accounts.js";
export {
  SignInButton,
  type SignInButtonProps,
  SignOutButton,
  type SignOutButtonProps,
} from "./buttons.js";
export { Protect, type ProtectProps, RedirectToSignIn, SignedIn, SignedOut } from "./control.js";
export { type ErrorWords, errorWords } from "./error-words.js";
export {
  type GetToken,
  type SignOut,
  type UseAuthReturn,
  type UseSessionReturn,
  type UseUserReturn,
  useAuth,
  useFoyer,
  useRedirectError,
  useSession,
  useUser,
} from "./hooks.js";
export { OrganizationSwitcher, type OrganizationSwitcherProps } from "./organization-switcher.js";
export {
  type SetActive,
  type UseOrganizationListReturn,
  type UseOrganizationReturn,
  useOrganization,
  useOrganizationList,
} from "./organizations.js";
export { FoyerProvider, type FoyerProviderProps } from "./provider.js";
export { SignIn, type SignInProps } from "./sign-in.js";
export { UserButton, type UserButtonProps } from "./user-button.js";
export { UserProfile, type UserProfileProps } from "./user-profile.js";
