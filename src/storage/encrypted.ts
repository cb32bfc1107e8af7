import { ErrorCodes, McpkitError } from "../errors/index.js";
import { encode, type KeyValueStore, type SetOptions } from "./store.js";

/** A 32-byte AES-256 key: raw bytes or base64. */
export type EncryptionKey = Uint8Array | string;

/** Options for {@link encrypted}. */
export interface EncryptionOptions {
  /**
   * The keys, newest first: writes use the first, reads accept any (rotate by
   * putting a new key first and keeping the old ones until rewritten).
   * Default: `MCPKIT_STORAGE_KEY` (base64, comma-separated for several).
   */
  keys?: readonly EncryptionKey[];
}

interface Sealed {
  /** Format version. */
  readonly v: 1;
  /** Which key sealed it (a short digest of the key, never the key). */
  readonly k: string;
  readonly iv: string;
  readonly ct: string;
}

interface PreparedKey {
  readonly id: string;
  readonly key: CryptoKey;
}

/**
 * Encryption at rest: values are sealed with AES-256-GCM before they reach
 * the store, bound to their key name, so a tampered value, a value moved to
 * another key, or a value sealed with a key not configured is an error
 * (`MCPKIT_STORAGE_CORRUPT`), never garbage. Keys themselves are not
 * encrypted (they are how entries are found). Counters (`increment`) are
 * kept as sealed numbers, updated with compare-and-set.
 */
export function encrypted(store: KeyValueStore, options: EncryptionOptions = {}): KeyValueStore {
  // Checked now, so a missing or malformed key fails at start-up, not at the first read.
  const raw = checkKeys(options.keys ?? envKeys());
  const keys = prepare(raw);
  keys.catch(() => undefined);
  const seal = async (name: string, value: unknown): Promise<Sealed> => {
    const [current] = await keys;
    const { id, key } = current as PreparedKey;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(encode(name, value));
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(name) }, key, plain));
    return { v: 1, k: id, iv: b64(iv), ct: b64(ct) };
  };
  const open = async <T>(name: string, sealed: unknown): Promise<T | undefined> => {
    if (sealed === undefined) return undefined;
    const s = sealed as Partial<Sealed>;
    const corrupt = (why: string) => new McpkitError(ErrorCodes.STORAGE_CORRUPT, `The stored value for '${name}' ${why}`);
    if (typeof s !== "object" || s === null || s.v !== 1 || typeof s.k !== "string" || typeof s.iv !== "string" || typeof s.ct !== "string") {
      throw corrupt("is not an encrypted record");
    }
    const match = (await keys).find((k) => k.id === s.k);
    if (match === undefined) throw corrupt("was encrypted with a key that is not configured");
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(s.iv), additionalData: new TextEncoder().encode(name) }, match.key, unb64(s.ct));
      return JSON.parse(new TextDecoder().decode(plain)) as T;
    } catch {
      throw corrupt("failed its integrity check (tampered, or moved from another key)");
    }
  };
  const equal = (a: unknown, b: unknown) => (a === undefined ? b === undefined : b !== undefined && JSON.stringify(a) === JSON.stringify(b));
  return {
    async get<T>(key: string) {
      return open<T>(key, await store.get(key));
    },
    async set(key, value, options) {
      await store.set(key, await seal(key, value), options);
    },
    delete: (key) => store.delete(key),
    has: (key) => store.has(key),
    async getMany<T>(names: readonly string[]) {
      const raw = await store.getMany(names);
      return Promise.all(raw.map((r, i) => open<T>(names[i] as string, r)));
    },
    async setMany(entries, options) {
      await store.setMany(await Promise.all(entries.map(async ([k, v]) => [k, await seal(k, v)] as const)), options);
    },
    keys: (prefix) => store.keys(prefix),
    async compareAndSet(key, expected, next, options) {
      const raw = await store.get(key);
      if (!equal(expected, await open(key, raw))) return false;
      return store.compareAndSet(key, raw, await seal(key, next), options);
    },
    async increment(key, by = 1, options?: SetOptions) {
      for (;;) {
        const raw = await store.get(key);
        const current = (await open<unknown>(key, raw)) ?? 0;
        if (typeof current !== "number") throw new McpkitError(ErrorCodes.STORAGE_INVALID, `'${key}' holds a ${typeof current}, not a number`);
        const value = current + by;
        if (await store.compareAndSet(key, raw, await seal(key, value), raw === undefined ? options : {})) return value;
      }
    },
    close: () => store.close(),
  };
}

function checkKeys(keys: readonly EncryptionKey[]): Uint8Array<ArrayBuffer>[] {
  if (keys.length === 0) throw new McpkitError(ErrorCodes.STORAGE_INVALID, "encrypted() needs at least one key (or MCPKIT_STORAGE_KEY)");
  return keys.map((k, i) => {
    const bytes = typeof k === "string" ? unb64(k) : new Uint8Array(k);
    if (bytes.byteLength !== 32) throw new McpkitError(ErrorCodes.STORAGE_INVALID, `Encryption key ${i + 1} must be 32 bytes (AES-256), got ${bytes.byteLength}`);
    return bytes;
  });
}

async function prepare(keys: readonly Uint8Array<ArrayBuffer>[]): Promise<PreparedKey[]> {
  return Promise.all(
    keys.map(async (bytes) => {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const key = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
      return { id: b64(digest.subarray(0, 6)), key };
    }),
  );
}

function envKeys(): string[] {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.MCPKIT_STORAGE_KEY;
  return raw === undefined || raw === "" ? [] : raw.split(",").map((k) => k.trim());
}

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new McpkitError(ErrorCodes.STORAGE_INVALID, "An encryption key or sealed field is not valid base64");
  }
}
