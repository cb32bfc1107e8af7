import type pg from "pg";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { checkTtl, decode, encode, type KeyValueStore, type SetOptions } from "../storage/store.js";
import { Database } from "./database.js";
import { checkNamespace, invalid, pgKey, positive, storable } from "./checks.js";
import { redaction, sqlState, storeError, type Redaction } from "./errors.js";
import { prefixPattern, statements, tableName, type Statements, type TableName } from "./sql.js";

/**
 * Where a store connects when given neither a pool nor a connection string
 * (and `DATABASE_URL` is unset): a stock local server with trust
 * authentication. IPv4 on purpose: `localhost` may resolve to `::1` first,
 * where many servers do not listen; `postgres` is the database every server has.
 */
const DEFAULT_CONNECTION_STRING = "postgres://postgres@127.0.0.1:5432/postgres";

/** Keys fetched per round trip by `keys()`: large tables stream, page by page. */
const PAGE_SIZE = 500;
/** Expired rows removed per sweep, so a sweep stays a short statement however much has expired. */
const SWEEP_LIMIT = 1_000;
/** Rounds `increment` goes before giving up, when other writers keep creating and deleting the same key. */
const INCREMENT_ATTEMPTS = 20;

/** Options for {@link PostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The server, as a `postgres://` URL. Default: `DATABASE_URL`, else
   * `postgres://postgres@127.0.0.1:5432/postgres` (a local server with trust
   * authentication). Ignored when `pool` is given.
   */
  connectionString?: string;
  /** An existing pool to use instead. The store never ends it: its owner does, after closing the store. */
  pool?: pg.Pool;
  /**
   * The table, created on first use: lower-case letters, digits and
   * underscores, optionally `schema.table`. Default `mcpkit_kv`.
   */
  table?: string;
  /** Keeps several stores apart in one table: each sees only its own rows. Default `default`. */
  namespace?: string;
  /** The longest wait for a connection, in milliseconds. Default 5 000. */
  connectTimeoutMs?: number;
  /** The longest a statement may run (lock waits included), in milliseconds. Default 10 000. */
  statementTimeoutMs?: number;
  /**
   * How often a write also deletes expired rows (at most 1 000 at a time),
   * in milliseconds; `Infinity` never does. Default 60 000.
   */
  sweepIntervalMs?: number;
}

/**
 * A {@link KeyValueStore} in one PostgreSQL table, shared by every replica
 * that points at it: `compareAndSet` and `increment` are atomic across
 * processes. Values are stored as their JSON text, so `compareAndSet`
 * compares exactly as the memory store does and a damaged row is
 * `MCPKIT_STORAGE_CORRUPT` for its key alone. Expiry follows the database
 * clock. An unreachable server fails calls within the timeouts with
 * `MCPKIT_STORAGE_UNAVAILABLE`; the pool reconnects once it is back.
 *
 * @example
 * ```ts
 * import { PostgresStore } from "mcpkit/postgres";
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL, namespace: "my-app" });
 * await store.set("greeting", "hello", { ttlMs: 60_000 });
 * ```
 */
export class PostgresStore implements KeyValueStore {
  private readonly db: Database;
  private readonly table: TableName;
  private readonly sql: Statements;
  private readonly namespace: string;
  private readonly where: Redaction;
  private readonly sweepIntervalMs: number;
  private ready: Promise<void> | undefined;
  /** Set once the table is known to exist, so the common call skips even awaiting `ready`. */
  private tableReady = false;
  private sweeping: Promise<void> | undefined;
  private lastSweep = 0;
  private closed = false;

  constructor(options: PostgresStoreOptions = {}) {
    // Everything is checked before a pool exists: a bad option never reaches the server.
    this.table = tableName(options.table ?? "mcpkit_kv");
    this.sql = statements(this.table);
    this.namespace = checkNamespace(options.namespace ?? "default");
    const connectTimeoutMs = positive("connectTimeoutMs", options.connectTimeoutMs ?? 5_000);
    const statementTimeoutMs = positive("statementTimeoutMs", options.statementTimeoutMs ?? 10_000);
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    if (typeof this.sweepIntervalMs !== "number" || Number.isNaN(this.sweepIntervalMs) || this.sweepIntervalMs < 0) {
      throw invalid(`sweepIntervalMs must be a number of milliseconds (or Infinity), got ${String(options.sweepIntervalMs)}`);
    }
    const connectionString = options.connectionString ?? process.env.DATABASE_URL ?? DEFAULT_CONNECTION_STRING;
    this.where = redaction(options.pool === undefined ? connectionString : undefined);
    this.db = new Database({ pool: options.pool, connectionString, connectTimeoutMs, statementTimeoutMs });
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const k = pgKey(key);
    const { rows } = await this.run("get", (db) => db.query<{ value: string }>(this.sql.get, [this.namespace, k]));
    const row = rows[0];
    return row === undefined ? undefined : decode<T>(key, row.value);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    const k = pgKey(key);
    const text = encode(key, value);
    const ttl = checkTtl(options.ttlMs) ?? null;
    await this.run("set", (db) => db.query(this.sql.set, [this.namespace, k, text, ttl]));
    this.sweepIfDue();
  }

  async delete(key: string): Promise<boolean> {
    const k = pgKey(key);
    const { rows } = await this.run("delete", (db) => db.query<{ live: boolean }>(this.sql.delete, [this.namespace, k]));
    // An expired row is removed too, but it was not there as far as callers could tell.
    return rows[0]?.live === true;
  }

  async has(key: string): Promise<boolean> {
    const k = pgKey(key);
    const { rows } = await this.run("has", (db) => db.query(this.sql.has, [this.namespace, k]));
    return rows.length > 0;
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]> {
    const wanted = keys.map(pgKey);
    const { rows } = await this.run("getMany", (db) => db.query<{ key: string; value: string }>(this.sql.getMany, [this.namespace, wanted]));
    const found = new Map(rows.map((r) => [r.key, r.value]));
    return wanted.map((k) => {
      const text = found.get(k);
      return text === undefined ? undefined : decode<T>(k, text);
    });
  }

  async setMany(entries: readonly (readonly [string, unknown])[], options: SetOptions = {}): Promise<void> {
    const ttl = checkTtl(options.ttlMs) ?? null;
    // Checked in full before the one statement that writes them all: a bad entry writes nothing.
    // A key given twice keeps its last value, as sequential sets would (one upsert cannot touch a row twice).
    const batch = new Map(entries.map(([key, value]) => [pgKey(key), encode(key, value)] as const));
    await this.run("setMany", async (db) => {
      if (batch.size > 0) await db.query(this.sql.setMany, [this.namespace, [...batch.keys()], [...batch.values()], ttl]);
    });
    this.sweepIfDue();
  }

  async *keys(prefix = ""): AsyncIterable<string> {
    if (typeof prefix !== "string") throw invalid(`A key prefix must be a string, got ${typeof prefix}`);
    this.open("keys");
    // PostgreSQL text cannot hold such a prefix, so no stored key starts with it.
    if (!storable(prefix)) return;
    const pattern = prefixPattern(prefix);
    // Keyset paging: each page starts after the last key seen, so no page depends on an offset or a held cursor.
    let last: string | undefined;
    for (;;) {
      const after = last;
      const { rows } = await this.run("keys", (db) =>
        after === undefined
          ? db.query<{ key: string }>(this.sql.keysFrom, [this.namespace, pattern, prefix, PAGE_SIZE])
          : db.query<{ key: string }>(this.sql.keysAfter, [this.namespace, pattern, after, PAGE_SIZE]),
      );
      for (const row of rows) yield row.key;
      if (rows.length < PAGE_SIZE) return;
      last = rows[rows.length - 1]?.key;
    }
  }

  async compareAndSet(key: string, expected: unknown, next: unknown, options: SetOptions = {}): Promise<boolean> {
    const k = pgKey(key);
    const ttl = checkTtl(options.ttlMs) ?? null;
    const nextText = encode(key, next);
    // Compared as JSON text, exactly as the memory store compares: a damaged row simply does not match.
    const expectedText = expected === undefined ? undefined : encode(key, expected);
    const result = await this.run("compareAndSet", (db) =>
      expectedText === undefined
        ? db.query(this.sql.insertIfAbsent, [this.namespace, k, nextText, ttl])
        : db.query(this.sql.replaceIfEqual, [this.namespace, k, expectedText, nextText, ttl]),
    );
    this.sweepIfDue();
    return result.rowCount === 1;
  }

  async increment(key: string, by = 1, options: SetOptions = {}): Promise<number> {
    if (typeof by !== "number" || !Number.isFinite(by)) throw invalid(`increment needs a finite number, got ${String(by)}`);
    const k = pgKey(key);
    const ttl = checkTtl(options.ttlMs) ?? null;
    const value = await this.run("increment", async (db) => {
      for (let attempt = 0; attempt < INCREMENT_ATTEMPTS; attempt++) {
        // The sum is computed here, as the memory store computes it, so the stored text is what JSON.stringify gives;
        // the row lock makes read-add-write atomic across replicas.
        const done = await db.transaction(async (query) => {
          const { rows } = await query<{ value: string; live: boolean }>(this.sql.lock, [this.namespace, k]);
          const row = rows[0];
          const live = row !== undefined && row.live;
          const current = live ? decode<unknown>(key, row.value) : 0;
          if (typeof current !== "number") throw invalid(`'${key}' holds a ${current === null ? "null" : typeof current}, not a number`);
          const sum = current + by;
          // An existing counter keeps its expiry; a new one (or one replacing an expired row) takes the TTL.
          if (live) await query(this.sql.updateValue, [this.namespace, k, JSON.stringify(sum)]);
          else if ((await query(this.sql.insertIfAbsent, [this.namespace, k, JSON.stringify(sum), ttl])).rowCount !== 1) return undefined;
          return sum;
        });
        // Undefined: another writer created the key between our read and our insert. It exists now: go again.
        if (done !== undefined) return done;
      }
      throw new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, `increment('${key}') gave up after ${INCREMENT_ATTEMPTS} rounds of contention`);
    });
    this.sweepIfDue();
    return value;
  }

  /**
   * Delete up to `limit` expired rows, of every namespace in the table (they
   * are invisible anyway). Writes do this on their own every
   * `sweepIntervalMs`; call it from a scheduled job to clean up on a fixed
   * rhythm instead. How many rows went.
   */
  async sweep(limit = SWEEP_LIMIT): Promise<number> {
    if (!Number.isInteger(limit) || limit < 1) throw invalid(`sweep needs a positive integer limit, got ${String(limit)}`);
    const result = await this.run("sweep", (db) => db.query(this.sql.sweep, [limit]));
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sweeping;
    await this.db.end();
  }

  /** Every call goes through here: closed check, table creation, and the one translation of pg errors. */
  private async run<T>(action: string, work: (db: Database) => Promise<T>): Promise<T> {
    this.open(action);
    try {
      if (!this.tableReady) await this.ensureTable();
      return await work(this.db);
    } catch (error) {
      // The table was dropped under us: create it again on the next call.
      if (sqlState(error) === "42P01") {
        this.ready = undefined;
        this.tableReady = false;
      }
      throw storeError(error, `PostgresStore.${action}`, this.where);
    }
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.createTable().then(() => {
      this.tableReady = true;
    }, (error: unknown) => {
      // Not cached: a server that was down at the first call is asked again at the next.
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async createTable(): Promise<void> {
    // Look first: CREATE ... IF NOT EXISTS needs the CREATE privilege even when the table is there.
    const { rows } = await this.db.query<{ present: boolean }>(this.sql.exists, [this.table.qualified]);
    if (rows[0]?.present === true) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.query(this.sql.create);
        return;
      } catch (error) {
        // Two processes creating the table at once collide in the catalog (pg_type or pg_class unique index):
        // the loser gets 23505 or 42P07 even with IF NOT EXISTS. By then the table exists, and the retry is a no-op.
        const state = sqlState(error);
        if ((state !== "23505" && state !== "42P07") || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      }
    }
  }

  /** Start a sweep when one is due; it runs beside the caller's work and its failure is nobody's error. */
  private sweepIfDue(): void {
    const now = Date.now();
    if (this.closed || this.sweeping !== undefined || now - this.lastSweep < this.sweepIntervalMs) return;
    this.lastSweep = now;
    this.sweeping = this.sweep()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  private open(action: string): void {
    if (this.closed) throw new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, `PostgresStore.${action}: the store is closed`);
  }
}
