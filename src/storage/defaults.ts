import { ErrorCodes, McpkitError } from "../errors/index.js";
import { checkTtl, type KeyValueStore, type SetOptions } from "./store.js";

/**
 * A view of `store` whose writes expire after `ttlMs` unless they say
 * otherwise: `set`, `setMany`, `compareAndSet` and `increment` (when it
 * creates the counter) without a `ttlMs` get this one; an explicit `ttlMs`
 * wins. Reads, `delete` and `keys` pass straight through.
 *
 * The view owns nothing: `close()` ends this view (its later calls fail
 * with `MCPKIT_STORAGE_UNAVAILABLE`) but leaves the underlying store open,
 * like `collection()`, so several views can share one store; close the
 * store itself when done.
 *
 * @example
 * ```ts
 * const cache = withTtl(store, 5 * 60_000);
 * await cache.set("page:/", html);                      // expires in 5 minutes
 * await cache.set("page:/about", html, { ttlMs: 1_000 }); // this one in 1 second
 * ```
 */
export function withTtl(store: KeyValueStore, ttlMs: number): KeyValueStore {
  // Checked now, so a bad default fails where the view is made, not at the first write.
  const fallback = checkTtl(ttlMs);
  if (fallback === undefined) throw new McpkitError(ErrorCodes.STORAGE_INVALID, "withTtl() needs a TTL in milliseconds");
  const withDefault = (options?: SetOptions): SetOptions => (options?.ttlMs === undefined ? { ...options, ttlMs: fallback } : options);
  let closed = false;
  const open = () => {
    if (closed) throw new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, "The withTtl() view is closed");
  };
  const whileOpen = async <R>(run: () => Promise<R>): Promise<R> => {
    open();
    return run();
  };
  return {
    get: (key) => whileOpen(() => store.get(key)),
    set: (key, value, options) => whileOpen(() => store.set(key, value, withDefault(options))),
    delete: (key) => whileOpen(() => store.delete(key)),
    has: (key) => whileOpen(() => store.has(key)),
    getMany: (keys) => whileOpen(() => store.getMany(keys)),
    setMany: (entries, options) => whileOpen(() => store.setMany(entries, withDefault(options))),
    async *keys(prefix) {
      open();
      yield* store.keys(prefix);
    },
    compareAndSet: (key, expected, next, options) => whileOpen(() => store.compareAndSet(key, expected, next, withDefault(options))),
    increment: (key, by, options) => whileOpen(() => store.increment(key, by, withDefault(options))),
    close: async () => {
      closed = true;
    },
  };
}
