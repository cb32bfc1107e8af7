import { ValidationError } from "../errors/index.js";

/** One page of a list and the cursor to the next, if any. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | undefined;
}

/**
 * Cut a list into pages. The cursor is an opaque base64url offset; a cursor
 * that does not decode to a valid offset is invalid params, not page one.
 */
export function paginate<T>(items: T[], cursor: unknown, pageSize: number | undefined): Page<T> {
  if (pageSize === undefined) {
    if (cursor !== undefined) decode(cursor);
    return { items, nextCursor: undefined };
  }
  const offset = cursor === undefined ? 0 : decode(cursor);
  const end = offset + pageSize;
  return { items: items.slice(offset, end), nextCursor: end < items.length ? encode(end) : undefined };
}

function encode(offset: number): string {
  return btoa(JSON.stringify({ o: offset })).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function decode(cursor: unknown): number {
  const fail = (): never => {
    throw new ValidationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this server issued" }]);
  };
  if (typeof cursor !== "string" || cursor.length > 200) return fail();
  try {
    const padded = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const parsed = JSON.parse(atob(padded + "=".repeat((4 - (padded.length % 4)) % 4))) as { o?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // falls through to the error below
  }
  return fail();
}
