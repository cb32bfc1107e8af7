import { ErrorCodes, McpkitError } from "../errors/index.js";
import type { BlobResourceContents, TextResourceContents } from "../protocol/index.js";

type ResourceContents = TextResourceContents | BlobResourceContents;
import { jsonText } from "./content.js";
import { toBase64 } from "./media.js";

/** One item of a multi-part resource result. */
export interface ResourceContentInit {
  /** Text, bytes, or any JSON value (serialised as `application/json`). */
  content: unknown;
  mimeType?: string;
  /** Defaults to the URI that was read. */
  uri?: string;
  meta?: Record<string, unknown>;
}

/**
 * An explicit resource result: several content items, each with its own MIME
 * type, and result-level `_meta`.
 */
export class ResourceResult {
  constructor(
    readonly contents: readonly ResourceContentInit[],
    readonly meta?: Record<string, unknown>,
  ) {}
}

/**
 * Turn what a resource handler returned into `contents`: strings are text
 * (the resource's MIME type, default `text/plain`), bytes are base64 blobs
 * (`application/octet-stream`), other values JSON text (`application/json`).
 */
export function toResourceContents(value: unknown, uri: string, mimeType: string | undefined): ResourceContents[] {
  if (value instanceof ResourceResult) return value.contents.map((item) => one(item.content, item.uri ?? uri, item.mimeType ?? mimeType, item.meta));
  return [one(value, uri, mimeType, undefined)];
}

function one(value: unknown, uri: string, mimeType: string | undefined, meta: Record<string, unknown> | undefined): ResourceContents {
  const extra: { _meta?: Record<string, unknown> } = meta === undefined ? {} : { _meta: meta };
  if (typeof value === "string") return { uri, mimeType: mimeType ?? "text/plain", text: value, ...extra };
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    return { uri, mimeType: mimeType ?? "application/octet-stream", blob: toBase64(value), ...extra };
  }
  if (value === undefined) throw new McpkitError(ErrorCodes.INVALID_RESULT, `The resource ${uri} returned nothing`);
  return { uri, mimeType: mimeType ?? "application/json", text: jsonText(value), ...extra };
}
