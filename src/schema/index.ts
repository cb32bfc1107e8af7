export {
  isStandardSchema,
  hasJsonSchema,
  type InferOutput,
  type JsonSchema,
  type SchemaLike,
  type StandardSchemaV1,
  type StandardJSONSchemaV1,
} from "./standard-schema.js";
export { compileSchema, isObjectSchema, formatIssues, type CompiledSchema, type SchemaSide } from "./compile.js";
