/**
 * `mcpkit/postgres`: a key-value store (the `KeyValueStore` of
 * `mcpkit/storage`) in PostgreSQL, for state shared by several server
 * replicas. Needs the optional peer dependency `pg`; the rest of mcpkit never
 * loads it.
 *
 * @example
 * ```ts
 * import { PostgresStore } from "mcpkit/postgres";
 * import { collection } from "mcpkit/storage";
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL });
 * const sessions = collection(store, "sessions", { ttlMs: 86_400_000 });
 * ```
 */
export { PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
