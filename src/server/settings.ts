import { ErrorCodes, McpkitError } from "../errors/index.js";

/** Log levels for the server's own diagnostics (written to stderr, never stdout). */
export type ServerLogLevel = "debug" | "info" | "warning" | "error" | "silent";

/** Settings read from `MCPKIT_*` environment variables; explicit options win over these. */
export interface EnvSettings {
  transport?: "stdio" | "http";
  host?: string;
  port?: number;
  path?: string;
  logLevel?: ServerLogLevel;
  maskErrorDetails?: boolean;
  statelessHttp?: boolean;
  jsonResponse?: boolean;
  listPageSize?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function currentEnv(): Env {
  const proc = (globalThis as { process?: { env?: Env } }).process;
  return proc?.env ?? {};
}

/**
 * Read `MCPKIT_TRANSPORT`, `MCPKIT_HOST`, `MCPKIT_PORT`, `MCPKIT_PATH`,
 * `MCPKIT_LOG_LEVEL`, `MCPKIT_MASK_ERROR_DETAILS`, `MCPKIT_STATELESS_HTTP`,
 * `MCPKIT_JSON_RESPONSE` and `MCPKIT_LIST_PAGE_SIZE`. A set but invalid value
 * is an error naming the variable, never silently ignored.
 */
export function readEnvSettings(env: Env = currentEnv()): EnvSettings {
  const out: EnvSettings = {};
  const transport = env.MCPKIT_TRANSPORT;
  if (transport !== undefined && transport !== "") {
    const value = transport === "streamable-http" ? "http" : transport;
    if (value !== "stdio" && value !== "http") invalid("MCPKIT_TRANSPORT", transport, "'stdio' or 'http'");
    out.transport = value;
  }
  if (nonEmpty(env.MCPKIT_HOST)) out.host = env.MCPKIT_HOST;
  if (nonEmpty(env.MCPKIT_PORT)) out.port = integer("MCPKIT_PORT", env.MCPKIT_PORT, 0, 65535);
  if (nonEmpty(env.MCPKIT_PATH)) {
    if (!env.MCPKIT_PATH.startsWith("/")) invalid("MCPKIT_PATH", env.MCPKIT_PATH, "a path starting with '/'");
    out.path = env.MCPKIT_PATH;
  }
  if (nonEmpty(env.MCPKIT_LOG_LEVEL)) {
    const level = env.MCPKIT_LOG_LEVEL.toLowerCase();
    const levels = ["debug", "info", "warning", "error", "silent"];
    if (!levels.includes(level)) invalid("MCPKIT_LOG_LEVEL", env.MCPKIT_LOG_LEVEL, levels.join(", "));
    out.logLevel = level as ServerLogLevel;
  }
  if (nonEmpty(env.MCPKIT_MASK_ERROR_DETAILS)) out.maskErrorDetails = bool("MCPKIT_MASK_ERROR_DETAILS", env.MCPKIT_MASK_ERROR_DETAILS);
  if (nonEmpty(env.MCPKIT_STATELESS_HTTP)) out.statelessHttp = bool("MCPKIT_STATELESS_HTTP", env.MCPKIT_STATELESS_HTTP);
  if (nonEmpty(env.MCPKIT_JSON_RESPONSE)) out.jsonResponse = bool("MCPKIT_JSON_RESPONSE", env.MCPKIT_JSON_RESPONSE);
  if (nonEmpty(env.MCPKIT_LIST_PAGE_SIZE)) out.listPageSize = integer("MCPKIT_LIST_PAGE_SIZE", env.MCPKIT_LIST_PAGE_SIZE, 1, 100_000);
  return out;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

function invalid(name: string, value: string, expected: string): never {
  throw new McpkitError(ErrorCodes.INVALID_SETTING, `${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
}

function bool(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return invalid(name, value, "true or false");
}

function integer(name: string, value: string, min: number, max: number): number {
  // Plain digits only: Number() would also take "1e3", "0x10" or " 80".
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) invalid(name, value, `an integer from ${min} to ${max}`);
  return n;
}

/** The HMAC key for multi-round-trip request state: the given one (at least 32 bytes) or 32 random bytes. */
export function requestStateKeyFrom(key: string | Uint8Array | undefined): Uint8Array {
  if (key === undefined) return crypto.getRandomValues(new Uint8Array(32));
  const bytes = typeof key === "string" ? new TextEncoder().encode(key) : key;
  if (bytes.byteLength < 32) {
    throw new McpkitError(ErrorCodes.INVALID_SETTING, "requestStateKey must be at least 32 bytes");
  }
  return bytes;
}
