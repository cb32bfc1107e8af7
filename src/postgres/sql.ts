import { ErrorCodes, McpkitError } from "../errors/index.js";

/**
 * The database clock, read once per statement. `now()` would freeze at the
 * start of a transaction (stale after a lock wait in `increment`), and
 * `clock_timestamp()` is volatile: it changes from row to row and cannot
 * drive an index scan. Microsecond precision, one clock for every replica.
 */
const NOW = "statement_timestamp()";

/** An entry is live until its expiry; rows past it stay invisible until swept. */
const LIVE = `(expires_at IS NULL OR expires_at > ${NOW})`;

/** A TTL parameter (milliseconds, or NULL for none) turned into an expiry; NULL propagates. */
const expiry = (param: string) => `${NOW} + ${param}::float8 * interval '1 millisecond'`;

/** The escape character for LIKE: not a backslash, so no string-literal setting can change its meaning. */
const LIKE_ESCAPE = "!";

/** Names stay short enough that `<table>_expires_at` fits PostgreSQL's 63-byte identifiers. */
const MAX_TABLE_NAME = 52;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A validated table name: its parts, quoted and ready to splice into SQL. */
export interface TableName {
  /** `"schema"."table"` or `"table"`. */
  readonly qualified: string;
  /** The index on `expires_at`, unqualified (an index lives in its table's schema). */
  readonly expiryIndex: string;
}

/**
 * Check and quote a table name: lower-case letters, digits and underscores,
 * optionally schema-qualified (`schema.table`). It is the only text spliced
 * into SQL, so anything else is refused before a connection is made. Lower
 * case only, so the quoted name is the same table an unquoted one would be.
 */
export function tableName(name: unknown): TableName {
  const parts = typeof name === "string" ? name.split(".") : [];
  const table = parts[parts.length - 1];
  const valid =
    (parts.length === 1 || parts.length === 2) &&
    parts.every((p) => IDENTIFIER.test(p) && p.length <= 63) &&
    table !== undefined &&
    table.length <= MAX_TABLE_NAME;
  if (!valid || table === undefined) {
    throw new McpkitError(
      ErrorCodes.STORAGE_INVALID,
      `A PostgreSQL table name must be lower-case letters, digits and underscores (at most ${MAX_TABLE_NAME}), optionally as schema.table, got ${JSON.stringify(name)}`,
    );
  }
  return { qualified: parts.map(quote).join("."), expiryIndex: quote(`${table}_expires_at`) };
}

function quote(identifier: string): string {
  // Validation leaves no double quote to escape; quoting only guards reserved words such as "user".
  return `"${identifier}"`;
}

/** A LIKE pattern matching every string that starts with `prefix`, metacharacters taken literally. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c)}%`;
}

/** The SQL of a store, for one table. Every value is a parameter; `$1` is always the namespace. */
export interface Statements {
  /** Does the table exist? `$1`: its qualified name. */
  readonly exists: string;
  /** Create the table and its index: two statements, sent together so they commit together. */
  readonly create: string;
  /** `$2` key → `value`. */
  readonly get: string;
  /** `$2` key → a row when live. */
  readonly has: string;
  /** `$2` text[] of keys → `key, value`. */
  readonly getMany: string;
  /** `$2` key, `$3` value, `$4` TTL ms or null: upsert. */
  readonly set: string;
  /** `$2` text[] keys, `$3` text[] values, `$4` TTL: upsert all in one statement. */
  readonly setMany: string;
  /** `$2` key → `live` of the deleted row. */
  readonly delete: string;
  /** `$2` key, `$3` value, `$4` TTL: insert unless a live row exists; a row back when written. */
  readonly insertIfAbsent: string;
  /** `$2` key, `$3` expected text, `$4` next text, `$5` TTL: replace a live row holding exactly `$3`. */
  readonly replaceIfEqual: string;
  /** `$2` key → `value, live`, the row locked for the rest of the transaction. */
  readonly lock: string;
  /** `$2` key, `$3` value: rewrite the value, keeping the expiry. */
  readonly updateValue: string;
  /** `$2` LIKE pattern, `$3` first key (inclusive), `$4` page size → `key`, ordered. */
  readonly keysFrom: string;
  /** As `keysFrom`, with `$3` the last key already seen (exclusive). */
  readonly keysAfter: string;
  /** `$1` the most rows to remove: delete expired rows of every namespace. */
  readonly sweep: string;
}

/** Build the statements for a validated table. */
export function statements(table: TableName): Statements {
  const t = table.qualified;
  const upsert = `ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`;
  const keys = (op: string) =>
    `SELECT key FROM ${t} WHERE namespace = $1 AND key LIKE $2 ESCAPE '${LIKE_ESCAPE}' AND key ${op} $3 AND ${LIVE} ORDER BY key LIMIT $4`;
  return {
    exists: `SELECT to_regclass($1) IS NOT NULL AS present`,
    // The key sorts bytewise ("C"): keyset paging and LIKE prefixes can then use the primary key index.
    create:
      `CREATE TABLE IF NOT EXISTS ${t} (namespace text NOT NULL, key text COLLATE "C" NOT NULL, value text NOT NULL, expires_at timestamptz, PRIMARY KEY (namespace, key)); ` +
      `CREATE INDEX IF NOT EXISTS ${table.expiryIndex} ON ${t} (expires_at) WHERE expires_at IS NOT NULL`,
    get: `SELECT value FROM ${t} WHERE namespace = $1 AND key = $2 AND ${LIVE}`,
    has: `SELECT 1 FROM ${t} WHERE namespace = $1 AND key = $2 AND ${LIVE}`,
    getMany: `SELECT key, value FROM ${t} WHERE namespace = $1 AND key = ANY($2::text[]) AND ${LIVE}`,
    set: `INSERT INTO ${t} (namespace, key, value, expires_at) VALUES ($1, $2, $3, ${expiry("$4")}) ${upsert}`,
    setMany:
      `INSERT INTO ${t} (namespace, key, value, expires_at) ` +
      `SELECT $1, e.key, e.value, ${expiry("$4")} FROM unnest($2::text[], $3::text[]) AS e(key, value) ${upsert}`,
    delete: `DELETE FROM ${t} WHERE namespace = $1 AND key = $2 RETURNING ${LIVE} AS live`,
    // A conflicting row is replaced only when expired; a concurrent insert of the same key waits for ours and loses.
    insertIfAbsent:
      `INSERT INTO ${t} AS t (namespace, key, value, expires_at) VALUES ($1, $2, $3, ${expiry("$4")}) ` +
      `${upsert} WHERE t.expires_at IS NOT NULL AND t.expires_at <= ${NOW} RETURNING 1`,
    // Racing updates of one row queue on its lock and re-check the WHERE on the winner's version: one wins.
    replaceIfEqual: `UPDATE ${t} SET value = $4, expires_at = ${expiry("$5")} WHERE namespace = $1 AND key = $2 AND value = $3 AND ${LIVE}`,
    lock: `SELECT value, ${LIVE} AS live FROM ${t} WHERE namespace = $1 AND key = $2 FOR UPDATE`,
    updateValue: `UPDATE ${t} SET value = $3 WHERE namespace = $1 AND key = $2`,
    keysFrom: keys(">="),
    keysAfter: keys(">"),
    // Bounded, and SKIP LOCKED so a sweep never waits behind (or blocks) live traffic.
    sweep:
      `DELETE FROM ${t} WHERE (namespace, key) IN ` +
      `(SELECT namespace, key FROM ${t} WHERE expires_at <= ${NOW} LIMIT $1 FOR UPDATE SKIP LOCKED) AND expires_at <= ${NOW}`,
  };
}
