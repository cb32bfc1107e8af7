import { ErrorCodes, McpkitError } from "../errors/index.js";
import { compileSchema, isObjectSchema, type InferOutput, type SchemaLike } from "../schema/index.js";

/** The user accepted and sent `data`. */
export interface AcceptedElicitation<T> {
  readonly action: "accept";
  readonly data: T;
}

/** The user said no. */
export interface DeclinedElicitation {
  readonly action: "decline";
}

/** The user dismissed the request without choosing. */
export interface CancelledElicitation {
  readonly action: "cancel";
}

/** What `ctx.elicit` resolves to. */
export type ElicitationResult<T> = AcceptedElicitation<T> | DeclinedElicitation | CancelledElicitation;

/** The data type an elicitation schema yields; no schema means an approve/deny question with no data. */
export type ElicitedData<S> = S extends undefined ? Record<string, never> : InferOutput<S>;

const EMPTY_FORM = Object.freeze({ type: "object", properties: {} });

/** The flat object schema sent as `requestedSchema`. Elicitation forms must be flat objects. */
export function requestedSchemaFor(schema: SchemaLike | undefined): Record<string, unknown> {
  if (schema === undefined) return { ...EMPTY_FORM };
  const compiled = compileSchema(schema, "input", "elicitation");
  if (!isObjectSchema(compiled.json)) {
    throw new McpkitError(ErrorCodes.INVALID_SCHEMA, "An elicitation schema must describe an object (a flat form)");
  }
  const { $schema: _ignored, ...rest } = compiled.json;
  return rest;
}

/** Interpret the client's elicitation answer, validating accepted content against the schema. */
export async function readElicitation<S extends SchemaLike | undefined>(
  schema: S,
  answer: Record<string, unknown>,
): Promise<ElicitationResult<ElicitedData<S>>> {
  const action = answer.action;
  if (action === "decline" || action === "cancel") return { action };
  if (action !== "accept") {
    throw new McpkitError(ErrorCodes.INVALID_RESULT, `The client answered elicitation with an unknown action: ${String(action)}`);
  }
  const content = (answer.content ?? {}) as Record<string, unknown>;
  if (schema === undefined) return { action: "accept", data: {} as ElicitedData<S> };
  const check = await compileSchema(schema, "input", "elicitation").validate(content);
  if (!check.ok) {
    throw new McpkitError(
      ErrorCodes.INVALID_RESULT,
      `The client's elicitation answer does not match the requested schema: ${check.issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    );
  }
  return { action: "accept", data: check.value as ElicitedData<S> };
}
