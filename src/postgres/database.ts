import pg from "pg";
import { connectionSound } from "./errors.js";

// pg is CommonJS: its ESM face is one default export, so take the constructor from it.
const { Pool } = pg;

/** A row-returning query on one connection. */
export type Query = <R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]) => Promise<pg.QueryResult<R>>;

/** How a {@link Database} connects and how long it waits. */
export interface DatabaseOptions {
  /** Use this pool (not ended by {@link Database.end}); otherwise one is made from `connectionString`. */
  readonly pool: pg.Pool | undefined;
  readonly connectionString: string;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

/**
 * A pool with bounded waits. Every connection attempt and every statement
 * has a deadline, so an unreachable or stalled server is an error within
 * seconds, never a hang; a connection that failed is discarded, never
 * reused, and the pool opens fresh ones when the server is back. Errors are
 * raw pg errors: the store turns them into mcpkit errors in one place.
 */
export class Database {
  private readonly pool: pg.Pool;
  private readonly owned: boolean;
  private readonly connectTimeoutMs: number;
  private readonly queryTimeoutMs: number;

  constructor(options: DatabaseOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs;
    // The server-side statement_timeout cancels cleanly; this client-side deadline catches a silent network.
    this.queryTimeoutMs = options.statementTimeoutMs + 1_000;
    this.owned = options.pool === undefined;
    this.pool =
      options.pool ??
      new Pool({
        connectionString: options.connectionString,
        connectionTimeoutMillis: options.connectTimeoutMs,
        statement_timeout: options.statementTimeoutMs,
        application_name: "mcpkit",
      });
    // An idle connection that dies (server restart) is reported here; pg-pool has already dropped it.
    // Without a listener Node would treat it as an uncaught error and exit. A supplied pool is its owner's to watch.
    if (this.owned) this.pool.on("error", () => undefined);
  }

  /** Run one statement on any connection. */
  async query<R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.owned) {
      // Our pool has a connection timeout of its own, so pg-pool's checkout-query-release is enough
      // (it destroys a connection whose query failed): one round of promises instead of three.
      const config: pg.QueryConfig & { query_timeout: number } = { text, values: values as unknown[], query_timeout: this.queryTimeoutMs };
      return this.pool.query<R>(config);
    }
    return this.withClient((query) => query<R>(text, values));
  }

  /**
   * Run `work` in a transaction on one connection: committed when it
   * returns, rolled back when it throws (the error is rethrown).
   */
  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    return this.withClient(async (query) => {
      await query("BEGIN");
      try {
        const result = await work(query);
        await query("COMMIT");
        return result;
      } catch (error) {
        // A rollback that fails leaves the connection suspect; its own error then discards it.
        if (connectionSound(error)) await query("ROLLBACK");
        throw error;
      }
    });
  }

  /** End the pool if this object made it; a supplied pool stays open. */
  async end(): Promise<void> {
    if (this.owned) await this.pool.end();
  }

  private async withClient<T>(work: (query: Query) => Promise<T>): Promise<T> {
    const client = await this.connect();
    // pg-pool stops listening to a client while it is checked out: a connection dropped between
    // two statements would otherwise be an uncaught 'error'. The failing statement reports it.
    const ignore = () => undefined;
    client.on("error", ignore);
    const query: Query = async <R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []) => {
      // query_timeout is honoured per query by pg but missing from its types.
      const config: pg.QueryConfig & { query_timeout: number } = { text, values: [...values], query_timeout: this.queryTimeoutMs };
      return client.query<R>(config);
    };
    let failure: unknown;
    try {
      return await work(query);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      client.removeListener("error", ignore);
      // Releasing with an error destroys the connection: after a timeout or a network error its state is unknown.
      const broken = failure !== undefined && !connectionSound(failure);
      client.release(broken ? (failure instanceof Error ? failure : new Error(String(failure))) : undefined);
    }
  }

  /** Check out a connection, giving up after the connect timeout even on a pool configured without one. */
  private async connect(): Promise<pg.PoolClient> {
    const pending = this.pool.connect();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${this.connectTimeoutMs} ms waiting for a connection`)), this.connectTimeoutMs);
    });
    try {
      return await Promise.race([pending, deadline]);
    } catch (error) {
      // Lost the race: hand back the connection should it arrive later.
      pending.then((client) => client.release(), () => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
