import { ErrorCodes, McpkitError } from "../errors/index.js";

/** What a failed call was doing, for its error message. */
export interface FailureContext {
  /** The store method, e.g. `get`. */
  readonly op: string;
  /** The user's key (never the Redis key), when there is one. */
  readonly key?: string | undefined;
  /** Where Redis is, without credentials: `host:port` or "a Redis Cluster". */
  readonly where: string;
  /** Strings that must never appear in a message: the password, raw and URL-encoded. */
  readonly secrets: readonly string[];
}

/** The error for any call on a closed store. */
export function closedError(): McpkitError {
  return new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, "The Redis store is closed");
}

/**
 * Map whatever a Redis call threw to a typed {@link McpkitError}: the one
 * place ioredis errors are interpreted. Script refusals and WRONGTYPE are the
 * caller's data; everything else (refused or dropped connections, timeouts,
 * `LOADING`, `READONLY`, `OOM`, `CLUSTERDOWN`, ...) means the backend cannot
 * serve the call now, which is `STORAGE_UNAVAILABLE`. The original error is
 * always kept as `cause`.
 */
export function toStoreError(error: unknown, ctx: FailureContext): McpkitError {
  if (error instanceof McpkitError) return error;
  const reason = redact(error instanceof Error ? error.message : String(error), ctx.secrets);
  const name = ctx.key === undefined ? "" : ` '${ctx.key}'`;
  // Redis prefixes a one-word script error with "ERR ", so the marker may not come first.
  const marker = /^(?:ERR )?MCPKIT_([A-Z_]+)(?: (\w+))?/.exec(reason);
  if (marker?.[1] === "NOT_NUMBER") {
    return new McpkitError(ErrorCodes.STORAGE_INVALID, `'${ctx.key ?? ""}' holds a ${marker[2] ?? "value"}, not a number`, { cause: error });
  }
  if (marker?.[1] === "NOT_FINITE") {
    return new McpkitError(ErrorCodes.STORAGE_INVALID, `Incrementing '${ctx.key ?? ""}' would give a number JSON cannot hold`, { cause: error });
  }
  if (marker?.[1] === "CORRUPT") {
    return new McpkitError(ErrorCodes.STORAGE_CORRUPT, `The stored value for '${ctx.key ?? ""}' is corrupted`, { cause: error });
  }
  if (reason.startsWith("WRONGTYPE")) {
    // Something other than this store wrote a list, hash, ... under our key.
    return new McpkitError(ErrorCodes.STORAGE_CORRUPT, `The stored value for${name} is not a Redis string: another program wrote to this key`, { cause: error });
  }
  return new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, `Redis at ${ctx.where} is unavailable: ${ctx.op}${name} failed (${reason})`, { cause: error });
}

/** Blank out every secret in a message: defence in depth, ioredis messages should not hold one. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret !== "") out = out.split(secret).join("***");
  return out;
}
