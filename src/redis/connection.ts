import { Redis, type Cluster } from "ioredis";
import { ErrorCodes, McpkitError } from "../errors/index.js";

/** An ioredis client the store can use: a `Redis` (standalone or Sentinel) or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Where a server is, for messages, and what must never be printed about it. */
export interface Described {
  readonly where: string;
  readonly secrets: readonly string[];
}

/** The longest wait between reconnection attempts: a restarted Redis is picked up within about this long. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Validate a Redis URL and name its server without credentials. A URL that
 * does not parse is refused without being echoed: it may hold a password.
 */
export function describeUrl(url: string): Described {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpkitError(ErrorCodes.STORAGE_INVALID, "The Redis URL is malformed (expected redis://[user:password@]host[:port][/db] or rediss://...)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new McpkitError(ErrorCodes.STORAGE_INVALID, `The Redis URL must start with redis:// or rediss://, not ${parsed.protocol}//`);
  }
  const password = parsed.password;
  return { where: `${parsed.hostname}:${parsed.port === "" ? "6379" : parsed.port}`, secrets: password === "" ? [] : [password, safeDecode(password)] };
}

/** Name a caller's client without credentials. */
export function describeClient(client: RedisClient): Described {
  if (client.isCluster) return { where: "a Redis Cluster", secrets: [] };
  const { host, port, password } = (client as Redis).options;
  return { where: `${host ?? "localhost"}:${port ?? 6379}`, secrets: typeof password === "string" && password !== "" ? [password] : [] };
}

/**
 * The client a store owns. The settings are what makes it fail fast and heal
 * by itself:
 * - no offline queue: a command sent while disconnected is refused at once
 *   instead of waiting, and can never be written late, after its caller was
 *   told it failed (the store waits for the first connection itself);
 * - `maxRetriesPerRequest: 0` and no resending: commands in flight when the
 *   connection drops fail right away, and a write whose fate is unknown is
 *   never replayed behind the caller's back;
 * - `socketTimeout`: a socket that stops answering (a partition, no FIN) is
 *   torn down instead of holding every later call until TCP gives up;
 * - a capped exponential `retryStrategy`: reconnection never stops.
 */
export function createClient(url: string, connectTimeoutMs: number, commandTimeoutMs: number): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: connectTimeoutMs,
    socketTimeout: commandTimeoutMs,
    connectionName: "mcpkit",
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 100),
  });
  // Failures reach the calls that hit them; without a listener ioredis would also print each one.
  client.on("error", () => undefined);
  return client;
}

type Listener = (...args: unknown[]) => void;

/**
 * Decides whether a command may be sent now. Ready: yes. Never connected
 * and nothing failed yet: wait for the first connection, bounded by
 * `connectTimeoutMs`. Otherwise (Redis went away, reconnection under way):
 * refuse at once with the last connection error, so callers fail fast
 * instead of piling up while the client retries in the background.
 */
export class ConnectionGate {
  private healthy = true;
  private lastError: unknown;
  private waiting: Promise<void> | undefined;
  private readonly listeners: readonly (readonly [string, Listener])[];

  constructor(
    private readonly client: RedisClient,
    private readonly connectTimeoutMs: number,
  ) {
    this.listeners = [
      ["ready", () => {
        this.healthy = true;
        this.lastError = undefined;
      }],
      ["error", (error) => {
        this.healthy = false;
        this.lastError = error;
      }],
      ["close", () => {
        this.healthy = false;
      }],
    ];
    for (const [event, fn] of this.listeners) client.on(event, fn);
  }

  /** Resolves when a command may be sent; rejects with the reason it may not. */
  ready(): Promise<void> {
    if (this.client.status === "ready") return Promise.resolve();
    // "end": the client was quit or disconnected for good (a caller's client, say): it will not come back.
    if (this.client.status === "end") return Promise.reject(new Error("the client's connection was closed for good (quit or disconnect)"));
    if (!this.healthy) return Promise.reject(this.lastError ?? new Error(`not connected (${this.client.status})`));
    // One shared wait: many concurrent first calls must not add a listener each.
    this.waiting ??= this.firstConnection().finally(() => {
      this.waiting = undefined;
    });
    return this.waiting;
  }

  /** Stop listening (the client may belong to the caller and outlive the store). */
  detach(): void {
    for (const [event, fn] of this.listeners) this.client.off(event, fn);
  }

  private firstConnection(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: unknown) => {
        clearTimeout(timer);
        for (const [event, fn] of watch) this.client.off(event, fn);
        if (error === undefined) return resolve();
        this.healthy = false;
        this.lastError ??= error;
        reject(error);
      };
      const timer = setTimeout(() => done(new Error(`no connection within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
      const watch: (readonly [string, Listener])[] = [
        ["ready", () => done()],
        ["error", (error) => done(error)],
        ["close", () => done(new Error("connection closed"))],
        ["end", () => done(new Error("connection ended"))],
      ];
      for (const [event, fn] of watch) this.client.on(event, fn);
      if (this.client.status === "wait") this.client.connect().catch(() => undefined);
    });
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
