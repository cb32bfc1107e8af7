/**
 * `mcpkit/redis`: a `KeyValueStore` in Redis, for state several server
 * replicas share. Needs the optional peer dependency `ioredis` (5.4 or later);
 * nothing else in mcpkit imports it.
 *
 * @example
 * ```ts
 * import { RedisStore } from "mcpkit/redis";
 * import { collection } from "mcpkit/storage";
 * const store = new RedisStore({ url: "redis://127.0.0.1:6379" });
 * const sessions = collection(store, "sessions", { ttlMs: 86_400_000 });
 * ```
 *
 * @packageDocumentation
 */
export { RedisStore, type RedisStoreOptions } from "./redis-store.js";
export type { RedisClient } from "./connection.js";
