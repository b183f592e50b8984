import { TokenVerificationError } from "./errors.js";
import { pemPublicKey } from "./keys.js";
import { frontendApiUrlOf, type VerifyTokenOptions } from "./verify-token.js";

/** Fails fast on options that can never verify anything (used when middleware is built). */
export function checkOptions(options: VerifyTokenOptions): void {
  if (options.jwtKey) pemPublicKey(options.jwtKey);
  const fapi = frontendApiUrlOf(options);
  if (!options.jwtKey && !fapi && !(options.secretKey && options.apiUrl)) {
    throw new TokenVerificationError(
      "verifier_misconfigured",
      "Give jwtKey, frontendApiUrl, publishableKey, or secretKey with apiUrl.",
    );
  }
}
