/** A secret key as the Platform API shows it (`/platform/v1/instances/{id}/secret_keys`). */
export interface SecretKeyJSON {
  object: "secret_key";
  id: string;
  /** `sk_live_` or `sk_test_` and the key's first characters, e.g. `sk_live_Ab3x`. */
  key_prefix: string;
  /** The key's last four characters, to tell keys apart. */
  last4: string;
  /**
   * The whole key. A production key (`sk_live_…`) carries it only in the answer that creates it
   * (its instance's creation answer, or `POST …/secret_keys`): Foyer keeps no copy it could show
   * again. Development keys (`sk_test_…`) carry it in every answer.
   */
  key?: string;
  created_at: number;
}
