import type { ContentBlock } from "../protocol/index.js";
import { toBase64 } from "./media.js";

const CONTENT_TYPES = new Set(["text", "image", "audio", "resource", "resource_link"]);

/** Whether `value` already is an MCP content block (passed through unchanged). */
export function isContentBlock(value: unknown): value is ContentBlock {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== "string" || !CONTENT_TYPES.has(v.type)) return false;
  switch (v.type) {
    case "text":
      return typeof v.text === "string";
    case "image":
    case "audio":
      return typeof v.data === "string" && typeof v.mimeType === "string";
    case "resource":
      return typeof v.resource === "object" && v.resource !== null;
    default:
      return typeof v.uri === "string" && typeof v.name === "string";
  }
}

/** JSON text for a value, as older clients read structured results (a `BigInt` is written as its digits, as a string). */
export function jsonText(value: unknown): string {
  try {
    // Without a replacer first: a replacer is called for every key and costs several times the plain write.
    return JSON.stringify(value);
  } catch (error) {
    // JSON throws on a BigInt; a cycle or a throwing toJSON fails the same way with the replacer too.
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}

/** Bytes become an embedded base64 blob, as FastMCP does for `bytes`. */
export function bytesContent(data: Uint8Array | ArrayBuffer): ContentBlock {
  return { type: "resource", resource: { uri: "data:application/octet-stream", mimeType: "application/octet-stream", blob: toBase64(data) } };
}

/** Convert one item of a content list: blocks pass, strings become text, bytes become blobs, others JSON text. */
export function toContentBlock(item: unknown): ContentBlock {
  if (isContentBlock(item)) return item;
  if (typeof item === "string") return { type: "text", text: item };
  if (item instanceof Uint8Array || item instanceof ArrayBuffer) return bytesContent(item);
  return { type: "text", text: jsonText(item) };
}
