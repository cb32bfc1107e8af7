/**
 * `mcpkit/storage`: one async key-value interface for state that outlives a
 * request, in-memory and file stores, and wrappers for namespaces, default
 * TTLs, schema-checked values and encryption at rest.
 *
 * @example
 * ```ts
 * import { FileStore, MemoryStore, collection, encrypted, typed } from "mcpkit/storage";
 * const store = encrypted(new MemoryStore(), { keys: [process.env.STORAGE_KEY!] });
 * const tokens = collection(store, "tokens", { ttlMs: 3_600_000 });
 * const users = typed(collection(new FileStore({ directory: ".data" }), "users"), z.object({ name: z.string() }));
 * ```
 */
export { MAX_KEY_BYTES, type KeyValueStore, type SetOptions } from "./store.js";
export { MemoryStore, type MemoryStoreOptions } from "./memory.js";
export { collection } from "./collection.js";
export { encrypted, type EncryptionKey, type EncryptionOptions } from "./encrypted.js";
export { FileStore, type FileStoreOptions } from "./file.js";
export { withTtl } from "./defaults.js";
export { typed, type TypedStore } from "./typed.js";
