/**
 * Organization logos (Clerk's `PUT` / `DELETE /v1/organizations/{id}/logo`): an uploaded image,
 * kept in the database (one per organization) and served at its own URL. The type is read from
 * the bytes, never from the client's claim or file name, and only four raster formats pass: an
 * SVG or an HTML file named logo.png would be script on Foyer's origin. Each upload is a new id,
 * so a logo URL always serves the same bytes (cacheable for good).
 *
 * A site organization without a logo shows its Atlassian site's avatar (organization-json.ts).
 */
import { newId } from "../crypto/random.js";
import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { emitOrganizationEvent } from "./organization-events.js";
import type { OrganizationRow } from "./organization-json.js";

/** The largest logo accepted. Clerk allows 10 MB; a logo shown at 32 to 128 px needs far less. */
export const MAX_LOGO_BYTES = 1024 * 1024;
/** What a multipart request may add around the file (boundaries, headers, the uploader field). */
export const LOGO_REQUEST_OVERHEAD_BYTES = 16 * 1024;
/** Where logos are served, under Foyer's public URL. */
export const LOGO_PATH = "/organization_logos";

export type LogoType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

const startsWith = (bytes: Uint8Array, at: number, sig: number[]) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/** The image type the bytes are, by their magic numbers; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): LogoType | undefined {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) return "image/gif";
  if (bytes.length >= 16 && startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBPVP8"))) {
    return "image/webp";
  }
  return undefined;
}

export function logoTooLarge(): ApiError {
  return new ApiError("organization_logo_too_large", {
    meta: { param_name: "file", max_bytes: MAX_LOGO_BYTES },
  });
}

/** Stores `bytes` as the organization's logo, replacing any; answers nothing (read the organization). */
export async function setOrganizationLogo(
  svc: Services,
  org: OrganizationRow,
  upload: { bytes: Uint8Array; uploaderUserId?: string | undefined },
): Promise<void> {
  if (upload.bytes.byteLength > MAX_LOGO_BYTES) throw logoTooLarge();
  const type = sniffImageType(upload.bytes);
  if (!type) throw new ApiError("organization_logo_unsupported", { meta: { param_name: "file" } });
  const db = svc.db.kysely;
  if (upload.uploaderUserId) {
    const user = await db
      .selectFrom("users")
      .select("id")
      .where("id", "=", upload.uploaderUserId)
      .where("instance_id", "=", org.instance_id)
      .executeTakeFirst();
    if (!user) {
      throw new ApiError("resource_not_found", {
        longMessage: "uploader_user_id names no user of this instance.",
        meta: { param_name: "uploader_user_id" },
      });
    }
  }
  const now = svc.now();
  const id = newId("img");
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("organization_logos").where("organization_id", "=", org.id).execute();
    await trx
      .insertInto("organization_logos")
      .values({
        id,
        instance_id: org.instance_id,
        organization_id: org.id,
        content_type: type,
        byte_size: upload.bytes.byteLength,
        data_base64: Buffer.from(upload.bytes).toString("base64"),
        uploader_user_id: upload.uploaderUserId ?? null,
        created_at: now,
      })
      .execute();
    await trx
      .updateTable("organizations")
      .set({ image_url: `${svc.config.publicUrl}${LOGO_PATH}/${id}`, updated_at: now })
      .where("id", "=", org.id)
      .where("instance_id", "=", org.instance_id)
      .execute();
    await emitOrganizationEvent(trx, org.instance_id, org.id, "organization.updated", now);
  });
}

/** Removes the organization's logo; a site organization shows its site's avatar again. */
export async function deleteOrganizationLogo(svc: Services, org: OrganizationRow): Promise<void> {
  const now = svc.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    const res = await trx
      .deleteFrom("organization_logos")
      .where("organization_id", "=", org.id)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n && org.image_url === null) return; // nothing to remove, no event
    await trx
      .updateTable("organizations")
      .set({ image_url: null, updated_at: now })
      .where("id", "=", org.id)
      .where("instance_id", "=", org.instance_id)
      .execute();
    await emitOrganizationEvent(trx, org.instance_id, org.id, "organization.updated", now);
  });
}

/** A logo by its id, for the public image route; undefined when there is none (replaced or deleted). */
export async function findLogo(
  svc: Services,
  id: string,
): Promise<{ contentType: LogoType; bytes: Buffer } | undefined> {
  const row = await svc.db.kysely
    .selectFrom("organization_logos")
    .select(["content_type", "data_base64"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { contentType: row.content_type as LogoType, bytes: Buffer.from(row.data_base64, "base64") };
}
