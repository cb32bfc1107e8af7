/**
 * `mcpkit/storage`: one async key-value interface for state that outlives a
 * request, an in-memory store, and wrappers for namespaces and encryption at rest.
 *
 * @example
 * ```ts
 * import { MemoryStore, collection, encrypted } from "mcpkit/storage";
 * const store = encrypted(new MemoryStore(), { keys: [process.env.STORAGE_KEY!] });
 * const tokens = collection(store, "tokens", { ttlMs: 3_600_000 });
 * ```
 */
export { MAX_KEY_BYTES, type KeyValueStore, type SetOptions } from "./store.js";
export { MemoryStore, type MemoryStoreOptions } from "./memory.js";
export { collection } from "./collection.js";
export { encrypted, type EncryptionKey, type EncryptionOptions } from "./encrypted.js";
