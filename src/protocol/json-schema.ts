import type { StandardSchemaV1 } from "@modelcontextprotocol/server";
import { loadedSdk } from "./sdk-loader.js";

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
 */
function jsonSchemaEngine(): JsonSchemaEngine {
  if (engine !== undefined) return engine;
  const loaded = loadedSdk();
  if (loaded !== undefined) return (engine = new (loaded.shims.DefaultJsonSchemaValidator as unknown as EngineModule["DefaultJsonSchemaValidator"])());
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const nodeModule = getBuiltin?.("node:module") as { createRequire(from: string | URL): (id: string) => unknown } | undefined;
  if (nodeModule === undefined) {
    throw new Error(
      "raw JSON Schemas need the MCP SDK's JSON Schema engine, which this runtime cannot load synchronously before the server serves; pass a Standard Schema (zod, valibot, arktype) instead",
    );
  }
  const { DefaultJsonSchemaValidator } = nodeModule.createRequire(import.meta.url)("@modelcontextprotocol/server/_shims") as EngineModule;
  return (engine = new DefaultJsonSchemaValidator());
}

/**
 * A raw JSON Schema as a Standard Schema, validated by the SDK's JSON Schema
 * engine. Compiles once, here: call it at registration, where an invalid
 * schema throws.
 */
export function standardFromJsonSchema(schema: Record<string, unknown>): StandardSchemaV1 {
  const check = jsonSchemaEngine().getValidator(schema);
  return {
    "~standard": {
      version: 1,
      vendor: "mcp",
      jsonSchema: { input: () => schema, output: () => schema },
      validate: (value: unknown) => {
        const result = check(value);
        return result.valid ? { value: result.data } : { issues: [{ message: result.errorMessage ?? "invalid" }] };
      },
    },
  } as StandardSchemaV1;
}
