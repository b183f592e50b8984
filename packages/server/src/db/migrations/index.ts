import type { Migration } from "kysely";
import * as m001 from "./001_foundation.js";
import * as m002 from "./002_identity.js";
import * as m003 from "./003_dashboard.js";
import * as m004 from "./004_users_list.js";
import * as m005 from "./005_dashboard_token_binding.js";
import * as m006 from "./006_username_unique.js";
import * as m007 from "./007_grant_health.js";
import * as m008 from "./008_user_restrictions.js";
import * as m009 from "./009_sign_in_limits.js";
import * as m010 from "./010_security_events.js";
import * as m011 from "./011_rate_limit_windows.js";
import * as m013 from "./013_operator_visibility.js";
import * as m014 from "./014_events.js";
import * as m015 from "./015_webhooks.js";
import * as m017 from "./017_organizations.js";
import * as m018 from "./018_user_side.js";
import * as m019 from "./019_organization_logos_and_backfill.js";
import * as m020 from "./020_authorization_server.js";

/**
 * Every migration, in order. Listed here (not read from a folder) so the built package needs no
 * file-system lookups and the order is reviewed in one place. Add new ones at the end.
 */
export const MIGRATIONS: Record<string, Migration> = {
  "001_foundation": m001,
  "002_identity": m002,
  "003_dashboard": m003,
  "004_users_list": m004,
  "005_dashboard_token_binding": m005,
  "006_username_unique": m006,
  "007_grant_health": m007,
  "008_user_restrictions": m008,
  "009_sign_in_limits": m009,
  "010_security_events": m010,
  "011_rate_limit_windows": m011,
  "013_operator_visibility": m013,
  "014_events": m014,
  "015_webhooks": m015,
  "017_organizations": m017,
  "018_user_side": m018,
  "019_organization_logos_and_backfill": m019,
  "020_authorization_server": m020,
};
