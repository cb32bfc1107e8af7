import { ErrorCodes, McpkitError } from "../errors/index.js";
import { checkKey } from "../storage/store.js";

/** A key PostgreSQL text can hold unchanged: NUL is refused by the server, an unpaired surrogate would be rewritten. */
export function pgKey(key: string): string {
  if (!storable(checkKey(key))) throw invalid(`A PostgreSQL storage key cannot contain NUL characters or unpaired surrogates, got ${JSON.stringify(key)}`);
  return key;
}

/** Whether PostgreSQL text holds `text` unchanged (no NUL, no unpaired surrogate). */
export function storable(text: string): boolean {
  return !/\0|\p{Cs}/u.test(text);
}

/** Check a namespace: a non-empty string PostgreSQL text can hold. */
export function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== "string" || namespace.length === 0 || !storable(namespace)) {
    throw invalid(`A PostgreSQL store namespace must be a non-empty string without NUL characters or unpaired surrogates, got ${JSON.stringify(namespace)}`);
  }
  return namespace;
}

/** Check a duration option: a positive finite number of milliseconds. */
export function positive(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw invalid(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  return value;
}

/** A `STORAGE_INVALID` error: the caller's input, refused before any SQL. */
export function invalid(message: string): McpkitError {
  return new McpkitError(ErrorCodes.STORAGE_INVALID, message);
}
