import { ErrorCodes, McpkitError } from "../errors/index.js";
// The light module only: ../schema/index.js would pull the protocol layer (and the MCP SDK) into mcpkit/storage.
import { isStandardSchema, type StandardSchemaV1 } from "../schema/standard-schema.js";
import type { KeyValueStore, SetOptions } from "./store.js";

/**
 * A store whose values are checked by a schema. Writes take the schema's
 * input type, reads give its output type.
 */
export interface TypedStore<In, Out = In> {
  /** The value, parsed by the schema; `undefined` when missing or expired. */
  get(key: string): Promise<Out | undefined>;
  /** Validate, then write; an invalid value writes nothing. */
  set(key: string, value: In, options?: SetOptions): Promise<void>;
  /** Whether the key existed. */
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  getMany(keys: readonly string[]): Promise<(Out | undefined)[]>;
  /** Every entry is validated before any is written. */
  setMany(entries: readonly (readonly [string, In])[], options?: SetOptions): Promise<void>;
  /** The live keys starting with `prefix`, in no particular order. */
  keys(prefix?: string): AsyncIterable<string>;
  /** Write `next` (validated) only if the stored value equals `expected` as written (`undefined` = absent); atomic. */
  compareAndSet(key: string, expected: In | undefined, next: In, options?: SetOptions): Promise<boolean>;
  /** Close this view; the underlying store stays open. */
  close(): Promise<void>;
}

/**
 * A typed view of `store` through a Standard Schema (zod 4, valibot,
 * arktype...): the value types come from the schema, no generics to write.
 *
 * - A write whose value fails the schema is `MCPKIT_STORAGE_INVALID`, naming
 *   the key and each issue's path, and writes nothing.
 * - What is stored is the value as written (the schema's input); every read
 *   runs it through the schema again and returns the output, so defaults
 *   and transforms apply on the way out, and a field added later with a
 *   default reads fine from old entries. Stored data the schema no longer
 *   accepts is `MCPKIT_STORAGE_CORRUPT`, naming the key.
 * - There is no `increment`: a counter's value is not something a schema of
 *   arbitrary shape can promise; use the untyped store for counters.
 * - The view owns nothing: `close()` ends this view (its later calls fail
 *   with `MCPKIT_STORAGE_UNAVAILABLE`) and leaves `store` open.
 *
 * @example
 * ```ts
 * const users = typed(collection(store, "users"), z.object({ name: z.string(), admin: z.boolean().default(false) }));
 * await users.set("ada", { name: "Ada" });
 * const ada = await users.get("ada"); // { name: string; admin: boolean } | undefined
 * ```
 */
export function typed<S extends StandardSchemaV1>(
  store: KeyValueStore,
  schema: S,
): TypedStore<StandardSchemaV1.InferInput<S>, StandardSchemaV1.InferOutput<S>> {
  type In = StandardSchemaV1.InferInput<S>;
  type Out = StandardSchemaV1.InferOutput<S>;
  if (!isStandardSchema(schema)) throw new McpkitError(ErrorCodes.STORAGE_INVALID, "typed() needs a Standard Schema (zod 4, valibot, arktype...)");
  let closed = false;
  const open = () => {
    if (closed) throw new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, "The typed store view is closed");
  };
  const check = async (key: string, value: unknown, code: typeof ErrorCodes.STORAGE_INVALID | typeof ErrorCodes.STORAGE_CORRUPT): Promise<Out> => {
    const result = await schema["~standard"].validate(value);
    if (result.issues === undefined) return result.value as Out;
    const what = code === ErrorCodes.STORAGE_INVALID ? `The value for '${key}' does not match the schema` : `The stored value for '${key}' no longer matches the schema`;
    throw new McpkitError(code, `${what}: ${formatIssues(result.issues)}`, { data: { key, issues: result.issues.map((i) => ({ path: pathOf(i), message: i.message })) } });
  };
  const read = async (key: string, raw: unknown): Promise<Out | undefined> => (raw === undefined ? undefined : check(key, raw, ErrorCodes.STORAGE_CORRUPT));
  const accept = (key: string, value: In) => check(key, value, ErrorCodes.STORAGE_INVALID);
  return {
    async get(key) {
      open();
      return read(key, await store.get(key));
    },
    async set(key, value, options) {
      open();
      await accept(key, value);
      await store.set(key, value, options);
    },
    async delete(key) {
      open();
      return store.delete(key);
    },
    async has(key) {
      open();
      return store.has(key);
    },
    async getMany(keys) {
      open();
      const raw = await store.getMany(keys);
      return Promise.all(raw.map((r, i) => read(keys[i] as string, r)));
    },
    async setMany(entries, options) {
      open();
      // All checked before any is written, like the stores' own setMany.
      for (const [key, value] of entries) await accept(key, value);
      await store.setMany(entries, options);
    },
    async *keys(prefix) {
      open();
      yield* store.keys(prefix);
    },
    async compareAndSet(key, expected, next, options) {
      open();
      await accept(key, next);
      return store.compareAndSet(key, expected, next, options);
    },
    async close() {
      closed = true;
    },
  };
}

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
}

/** `path: message; ...`, like tool argument errors (a root issue has no path). */
function formatIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues.map((i) => (pathOf(i) === "" ? i.message : `${pathOf(i)}: ${i.message}`)).join("; ");
}
