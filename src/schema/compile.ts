import { ErrorCodes, McpkitError } from "../errors/index.js";
import { standardFromJsonSchema, type SchemaCheck } from "../protocol/index.js";
import { hasJsonSchema, isStandardSchema, type JsonSchema, type SchemaLike, type StandardSchemaV1 } from "./standard-schema.js";

/** A schema converted once: its JSON Schema and a validator. */
export interface CompiledSchema {
  readonly json: Readonly<Record<string, unknown>>;
  validate(value: unknown): Promise<SchemaCheck>;
}

/** Which side of the schema a component publishes: what callers send, or what handlers return. */
export type SchemaSide = "input" | "output";

const memo = new WeakMap<object, Map<SchemaSide, CompiledSchema>>();

/**
 * Convert a schema to JSON Schema once and remember it: the same schema object
 * used by many components converts once. An unconvertible schema fails here,
 * at registration, naming the component, never later in a list call.
 */
export function compileSchema(schema: SchemaLike, side: SchemaSide, owner: string): CompiledSchema {
  const cached = memo.get(schema)?.get(side);
  if (cached !== undefined) return cached;
  const compiled = isStandardSchema(schema) ? fromStandard(schema, side, owner) : fromJson(schema, owner);
  let bySide = memo.get(schema);
  if (bySide === undefined) {
    bySide = new Map();
    memo.set(schema, bySide);
  }
  bySide.set(side, compiled);
  return compiled;
}

function fromStandard(schema: Parameters<typeof hasJsonSchema>[0], side: SchemaSide, owner: string): CompiledSchema {
  if (!hasJsonSchema(schema)) {
    const vendor = schema["~standard"].vendor;
    throw new McpkitError(
      ErrorCodes.INVALID_SCHEMA,
      `${owner}: the ${vendor} schema cannot describe itself as JSON Schema. ` +
        (vendor === "valibot"
          ? "Wrap it with toStandardJsonSchema() from @valibot/to-json-schema."
          : "Use a library that implements Standard JSON Schema (zod >= 4.2, arktype, valibot via @valibot/to-json-schema) or pass raw JSON Schema."),
    );
  }
  let json: Record<string, unknown>;
  try {
    json = schema["~standard"].jsonSchema[side]({ target: "draft-2020-12" });
  } catch (cause) {
    throw new McpkitError(
      ErrorCodes.INVALID_SCHEMA,
      `${owner}: the schema cannot be converted to JSON Schema: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return { json: Object.freeze(json), validate: checker(schema) };
}

/** Validation through a Standard Schema, with issues as dotted paths. */
function checker(schema: StandardSchemaV1): (value: unknown) => Promise<SchemaCheck> {
  const validate = schema["~standard"].validate;
  return async (value) => {
    const result = await validate(value);
    if (result.issues === undefined) return { ok: true, value: result.value };
    return {
      ok: false,
      issues: result.issues.map((issue) => ({
        path: (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("."),
        message: issue.message,
      })),
    };
  };
}

function fromJson(schema: JsonSchema, owner: string): CompiledSchema {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new McpkitError(ErrorCodes.INVALID_SCHEMA, `${owner}: a schema must be a Standard Schema or a JSON Schema object`);
  }
  let validate: (value: unknown) => Promise<SchemaCheck>;
  try {
    validate = checker(standardFromJsonSchema({ ...schema }));
  } catch (cause) {
    throw new McpkitError(
      ErrorCodes.INVALID_SCHEMA,
      `${owner}: invalid JSON Schema: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return { json: Object.freeze({ ...schema }), validate };
}

/** Whether a JSON Schema describes an object at its root. */
export function isObjectSchema(json: Readonly<Record<string, unknown>>): boolean {
  if (json.type === "object") return true;
  return json.type === undefined && typeof json.properties === "object";
}

/** Format validation issues as one readable line: `path: message; ...`. */
export function formatIssues(issues: readonly { path: string; message: string }[]): string {
  return issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ");
}
