import type { AudioContent, EmbeddedResource, ImageContent } from "../protocol/index.js";

/** Bytes in any of the forms users have at hand; a string is taken as base64 already. */
export type BinaryData = Uint8Array | ArrayBuffer | string;

/** Encode bytes as base64 on every runtime (no Buffer needed). */
export function toBase64(data: BinaryData): string {
  if (typeof data === "string") return data;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * An image content block for a tool or prompt result.
 *
 * @example
 * ```ts
 * mcp.tool({ name: "chart" }, async () => image(await render(), "image/png"));
 * ```
 */
export function image(data: BinaryData, mimeType = "image/png"): ImageContent {
  return { type: "image", data: toBase64(data), mimeType };
}

/** An audio content block for a tool or prompt result. */
export function audio(data: BinaryData, mimeType = "audio/wav"): AudioContent {
  return { type: "audio", data: toBase64(data), mimeType };
}

/** Options for {@link file}. */
export interface FileOptions {
  /** Shown to the client as the file's name; also used to build its URI. */
  name?: string;
  mimeType?: string;
  /** The URI of the embedded resource; defaults to `file:///<name>`. */
  uri?: string;
}

/**
 * A file attached to a result as an embedded resource: text for `text/*` and
 * JSON types given as a string, a base64 blob otherwise.
 */
export function file(data: BinaryData, options: FileOptions = {}): EmbeddedResource {
  const mimeType = options.mimeType ?? "application/octet-stream";
  const uri = options.uri ?? `file:///${encodeURIComponent(options.name ?? "file")}`;
  return { type: "resource", resource: { uri, mimeType, blob: toBase64(data) } };
}
