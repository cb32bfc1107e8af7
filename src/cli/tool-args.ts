import { CliError } from "./output.js";

/**
 * Turn `key=value` words into tool arguments, typed by the tool's input
 * schema: numbers, booleans, objects and arrays (as JSON) where the schema
 * says so, strings otherwise. `key:=json` always parses the value as JSON.
 */
export function parseToolArgs(words: readonly string[], inputSchema: Record<string, unknown> | undefined): Record<string, unknown> {
  const properties = (inputSchema?.properties ?? {}) as Record<string, { type?: unknown }>;
  const args: Record<string, unknown> = {};
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new CliError(`Argument '${word}' is not key=value`);
    const forceJson = word[eq - 1] === ":";
    const key = word.slice(0, forceJson ? eq - 1 : eq);
    const raw = word.slice(eq + 1);
    args[key] = forceJson ? json(key, raw) : typed(key, raw, properties[key]?.type);
  }
  return args;
}

function typed(key: string, raw: string, type: unknown): unknown {
  const types = Array.isArray(type) ? type : [type];
  if (types.includes("string") || type === undefined) return type === undefined ? guess(raw) : raw;
  if (types.includes("integer") || types.includes("number")) {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n)) throw new CliError(`Argument '${key}' must be a number, got '${raw}'`);
    return n;
  }
  if (types.includes("boolean")) {
    if (raw === "true" || raw === "false") return raw === "true";
    throw new CliError(`Argument '${key}' must be true or false, got '${raw}'`);
  }
  return json(key, raw);
}

/** No schema for this key: JSON when it parses, the string otherwise. */
function guess(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function json(key: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new CliError(`Argument '${key}' must be JSON, got '${raw}'`);
  }
}
