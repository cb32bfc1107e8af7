import { ErrorCodes, McpkitError } from "../errors/index.js";

/** What an error message may say about the server, and what it must never say. */
export interface Redaction {
  /** `host:port/database`, or a description of a pool the caller supplied: never credentials. */
  readonly target: string;
  /** Strings to blank out of any message (the password, when the connection string has one). */
  readonly secrets: readonly string[];
}

/** Describe a connection string for messages, dropping the user and password. */
export function redaction(connectionString: string | undefined): Redaction {
  if (connectionString === undefined) return { target: "the PostgreSQL pool supplied", secrets: [] };
  try {
    const url = new URL(connectionString);
    const password = decodeURIComponent(url.password) || url.searchParams.get("password") || "";
    const host = url.hostname === "" ? "the local socket" : url.port === "" ? url.hostname : `${url.hostname}:${url.port}`;
    return { target: `PostgreSQL at ${host}${url.pathname}`, secrets: password === "" ? [] : [password, url.password] };
  } catch {
    // Not a URL (key=value form): say nothing about it rather than risk echoing a password.
    return { target: "the configured PostgreSQL server", secrets: [] };
  }
}

/** SQLSTATE classes and codes meaning "the server cannot serve us now", not "this request is wrong". */
const UNAVAILABLE_STATES = [/^08/, /^28/, /^3D/, /^53/, /^57/, /^58/, /^XX/];

/**
 * The one place pg errors become mcpkit errors. Data exceptions (SQLSTATE
 * class 22, such as a TTL past the year 294276) are the caller's input:
 * `STORAGE_INVALID`. Everything else (refused or dropped connections,
 * timeouts, authentication, a missing database, a dropped table, missing
 * privileges) is `STORAGE_UNAVAILABLE`. The pg error is kept as `cause`;
 * messages never carry credentials.
 */
export function storeError(error: unknown, action: string, where: Redaction): McpkitError {
  if (error instanceof McpkitError) return error;
  const state = sqlState(error);
  const detail = redact(describe(error), where.secrets);
  if (state?.startsWith("22") === true) {
    return new McpkitError(ErrorCodes.STORAGE_INVALID, `${action}: ${where.target} refused the value (${state}: ${detail})`, { cause: error });
  }
  const why = state === undefined ? "is unreachable" : UNAVAILABLE_STATES.some((s) => s.test(state)) ? "is unavailable" : "failed";
  const code = state === undefined ? "" : ` (${state})`;
  return new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, `${action}: ${where.target} ${why}${code}: ${detail}`, { cause: error });
}

/** The SQLSTATE of a server error, undefined for anything else (network, timeouts, pool). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  // Node's own errors carry codes too (ECONNREFUSED); a SQLSTATE is exactly five characters of [0-9A-Z].
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("E") ? code : undefined;
}

/**
 * Whether the connection in use when `error` was thrown can be reused: after
 * our own errors and clean error replies from the server, yes; after a
 * timeout, a network error or a server shutting down, no.
 */
export function connectionSound(error: unknown): boolean {
  if (error instanceof McpkitError) return true;
  const state = sqlState(error);
  return state !== undefined && !/^(08|57P)/.test(state);
}

function describe(error: unknown): string {
  // Node reports a failed dual-stack connect (localhost: ::1 and 127.0.0.1) as an AggregateError with no message.
  if (error instanceof AggregateError && error.message === "") return error.errors.map(describe).join("; ");
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return error.message !== "" ? error.message : typeof code === "string" ? code : error.name;
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, "$1***@");
  for (const secret of secrets) if (secret !== "") out = out.split(secret).join("***");
  return out;
}
