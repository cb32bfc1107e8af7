import { fromJsonSchema, type StandardSchemaV1 } from "@modelcontextprotocol/server";

/** The outcome of validating a value against a schema. */
export type SchemaCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

/**
 * A raw JSON Schema as a Standard Schema, validated by the SDK's
 * runtime-selected engine (AJV on Node, a pure-JS engine on edge runtimes).
 * Compiles once; call it at registration.
 */
export function standardFromJsonSchema(schema: Record<string, unknown>): StandardSchemaV1 {
  return fromJsonSchema(schema as never) as StandardSchemaV1;
}
