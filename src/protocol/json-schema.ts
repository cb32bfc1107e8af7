import { fromJsonSchema } from "@modelcontextprotocol/server";

/** The outcome of validating a value against a schema. */
export type SchemaCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

/**
 * Compile a raw JSON Schema once into a validator (the SDK's runtime-selected
 * engine: AJV on Node, a pure-JS engine on edge runtimes).
 */
export function compileJsonSchema(schema: Record<string, unknown>): (value: unknown) => Promise<SchemaCheck> {
  const standard = fromJsonSchema(schema as never);
  const validate = standard["~standard"].validate;
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
