import { ErrorCodes, McpkitError } from "../errors/index.js";
import { checkKey, type KeyValueStore, type SetOptions } from "./store.js";

/**
 * A namespace inside a store: every key is prefixed with `<name>/`, so
 * collections never see each other's entries. `close()` leaves the
 * underlying store open (it is shared).
 *
 * @example
 * ```ts
 * const tokens = collection(store, "oauth-tokens");
 * ```
 */
export function collection(store: KeyValueStore, name: string, defaults: SetOptions = {}): KeyValueStore {
  if (typeof name !== "string" || name.length === 0 || name.includes("/")) {
    throw new McpkitError(ErrorCodes.STORAGE_INVALID, `A collection name must be non-empty and must not contain '/', got ${JSON.stringify(name)}`);
  }
  const prefix = `${name}/`;
  // The key is checked on its own: an empty key must not become the bare prefix.
  const at = (key: string) => prefix + checkKey(key);
  const withDefaults = (options?: SetOptions): SetOptions => ({ ...defaults, ...options });
  return {
    get: async (key) => store.get(at(key)),
    set: async (key, value, options) => store.set(at(key), value, withDefaults(options)),
    delete: async (key) => store.delete(at(key)),
    has: async (key) => store.has(at(key)),
    getMany: async (keys) => store.getMany(keys.map(at)),
    setMany: async (entries, options) => store.setMany(entries.map(([k, v]) => [at(k), v] as const), withDefaults(options)),
    async *keys(sub = "") {
      for await (const key of store.keys(prefix + sub)) yield key.slice(prefix.length);
    },
    compareAndSet: async (key, expected, next, options) => store.compareAndSet(at(key), expected, next, withDefaults(options)),
    increment: async (key, by, options) => store.increment(at(key), by, withDefaults(options)),
    close: async () => undefined,
  };
}
