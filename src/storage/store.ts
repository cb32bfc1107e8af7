import { ErrorCodes, McpkitError } from "../errors/index.js";

/** Options for a write. */
export interface SetOptions {
  /** Time to live in milliseconds: a positive number. Without it the entry does not expire. */
  ttlMs?: number;
}

/**
 * An async key-value store for state that outlives a request: OAuth records,
 * caches, counters, handles. Values are JSON. An expired entry is never
 * returned, whatever the backend does with it.
 */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Whether the key existed. */
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>;
  setMany(entries: readonly (readonly [string, unknown])[], options?: SetOptions): Promise<void>;
  /** The live keys starting with `prefix` (all keys without one), in no particular order. */
  keys(prefix?: string): AsyncIterable<string>;
  /**
   * Write `next` only if the current value equals `expected` (JSON
   * equality; `undefined` means "absent"). Atomic: what one-time codes and
   * optimistic updates need. Whether it wrote.
   */
  compareAndSet(key: string, expected: unknown, next: unknown, options?: SetOptions): Promise<boolean>;
  /** Add `by` (default 1) to a number, starting from 0; atomic. The new value. A TTL applies when the key is created. */
  increment(key: string, by?: number, options?: SetOptions): Promise<number>;
  close(): Promise<void>;
}

const ENCODER = new TextEncoder();

/** Keys longer than this (UTF-8 bytes) are refused: backends differ in what they take. */
export const MAX_KEY_BYTES = 4096;

/** Check a key: a non-empty string of at most {@link MAX_KEY_BYTES} bytes (any characters). */
export function checkKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0) throw invalid(`A storage key must be a non-empty string, got ${JSON.stringify(key)}`);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short keys need no counting (this runs on every call).
  if (key.length * 3 > MAX_KEY_BYTES && ENCODER.encode(key).byteLength > MAX_KEY_BYTES) throw invalid(`A storage key is limited to ${MAX_KEY_BYTES} bytes (got ${key.length} characters)`);
  return key;
}

/** Check a TTL: absent, or a positive finite number of milliseconds. */
export function checkTtl(ttlMs: unknown): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw invalid(`ttlMs must be a positive number of milliseconds, got ${String(ttlMs)}`);
  }
  return ttlMs;
}

/** Serialise a value as JSON, refusing what JSON cannot hold faithfully. */
export function encode(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw invalid(`The value for '${key}' is not JSON-serialisable: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  if (text === undefined) throw invalid(`The value for '${key}' is not JSON-serialisable (${typeof value})`);
  return text;
}

/** Parse a stored value; unreadable data is corruption, never garbage. */
export function decode<T>(key: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new McpkitError(ErrorCodes.STORAGE_CORRUPT, `The stored value for '${key}' is corrupted`, { cause });
  }
}

function invalid(message: string, cause?: unknown): McpkitError {
  return new McpkitError(ErrorCodes.STORAGE_INVALID, message, cause === undefined ? {} : { cause });
}
