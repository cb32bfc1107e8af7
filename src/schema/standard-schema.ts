import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";

export type { StandardSchemaV1, StandardJSONSchemaV1 };

/** A JSON Schema document given as a plain object. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a component accepts as a schema: any Standard Schema (zod 4, valibot, arktype...) or raw JSON Schema. */
export type SchemaLike = StandardSchemaV1 | JsonSchema;

/** The type a handler receives for a schema: the schema's output type, or a loose object for raw JSON Schema. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : Record<string, unknown>;

/** Whether `value` implements Standard Schema. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    "~standard" in value &&
    typeof (value as StandardSchemaV1)["~standard"]?.validate === "function"
  );
}

/** Whether a Standard Schema can also describe itself as JSON Schema. */
export function hasJsonSchema(value: StandardSchemaV1): value is StandardSchemaV1 & StandardJSONSchemaV1 {
  const std = (value as unknown as Partial<StandardJSONSchemaV1>)["~standard"];
  return typeof std?.jsonSchema?.input === "function" && typeof std.jsonSchema.output === "function";
}
