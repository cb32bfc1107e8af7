import type { StandardSchemaV1 } from "@modelcontextprotocol/server";
import { requireNow } from "./require-now.js";
import { loadedSdk, loadSdk } from "./sdk-loader.js";

/** The outcome of validating a value against a schema. */
export type SchemaCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

interface JsonSchemaEngine {
  getValidator(schema: Record<string, unknown>): (value: unknown) => { valid: boolean; data?: unknown; errorMessage?: string };
}

type EngineModule = { DefaultJsonSchemaValidator: new () => JsonSchemaEngine };

let engine: JsonSchemaEngine | undefined;

/**
 * The SDK's runtime-selected JSON Schema engine (AJV on Node, a pure-JS engine
 * on edge runtimes), made once. A raw JSON Schema is compiled at registration,
 * which is synchronous and may come before the SDK is loaded
 * (src/protocol/sdk-loader.ts): then the engine alone is required (Node's
 * `require` of the SDK's engine module, a fraction of the SDK), not the SDK.
 * `undefined` where it cannot be required (no Node module API, or a bundle).
 */
function jsonSchemaEngine(): JsonSchemaEngine | undefined {
  if (engine !== undefined) return engine;
  const loaded = loadedSdk();
  if (loaded !== undefined) return (engine = new (loaded.shims.DefaultJsonSchemaValidator as unknown as EngineModule["DefaultJsonSchemaValidator"])());
  try {
    const { DefaultJsonSchemaValidator } = requireNow(import.meta.url, "@modelcontextprotocol/server/_shims") as EngineModule;
    return (engine = new DefaultJsonSchemaValidator());
  } catch {
    // No Node module API, or a bundle with no node_modules to require from: the SDK is loaded on first use instead.
    return undefined;
  }
}

/**
 * A raw JSON Schema as a Standard Schema, validated by the SDK's JSON Schema
 * engine. Compiles once, here: call it at registration, where an invalid
 * schema throws. Where the engine cannot be loaded synchronously (see
 * `jsonSchemaEngine`), the SDK is loaded and the schema compiled on the first
 * validation, and an invalid schema fails that one.
 */
export function standardFromJsonSchema(schema: Record<string, unknown>): StandardSchemaV1 {
  const now = jsonSchemaEngine();
  let check = now?.getValidator(schema);
  const outcome = (result: ReturnType<NonNullable<typeof check>>) =>
    result.valid ? { value: result.data } : { issues: [{ message: result.errorMessage ?? "invalid" }] };
  return {
    "~standard": {
      version: 1,
      vendor: "mcp",
      jsonSchema: { input: () => schema, output: () => schema },
      validate: (value: unknown) => {
        if (check !== undefined) return outcome(check(value));
        return loadSdk().then(() => {
          check ??= (jsonSchemaEngine() as JsonSchemaEngine).getValidator(schema);
          return outcome(check(value));
        });
      },
    },
  } as StandardSchemaV1;
}
