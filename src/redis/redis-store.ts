import type { Cluster } from "ioredis";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { checkKey, checkTtl, decode, encode, type KeyValueStore, type SetOptions } from "../storage/store.js";
import { ConnectionGate, createClient, describeClient, describeUrl, type Described, type RedisClient } from "./connection.js";
import { closedError, toStoreError } from "./failures.js";
import { COMPARE_AND_SET, INCREMENT, runScript } from "./scripts.js";

/** Options for {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Where Redis is: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. Default `REDIS_URL`, else `redis://127.0.0.1:6379`. Ignored with `client`. */
  url?: string;
  /**
   * An ioredis `Redis` or `Cluster` to use instead of opening a connection.
   * The store does not own it: `close()` leaves it open.
   */
  client?: RedisClient;
  /** Put before every key, so several applications can share a database. Default `mcpkit:`. */
  prefix?: string;
  /** How long the first connection may take before calls fail. Default 3000 ms. */
  connectTimeoutMs?: number;
  /** How long one command may take before it fails. Default 1000 ms. */
  commandTimeoutMs?: number;
}

/** The commands the store sends, common to `Redis` and `Cluster` whatever their reply mapping. */
interface Commands {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  multi(): { call(command: string, ...args: (string | number)[]): unknown; exec(): Promise<[Error | null, unknown][] | null> };
}

/** Keys per MGET and per SCAN page: big enough to save round trips, small enough not to stall Redis. */
const BATCH = 500;

/**
 * A {@link KeyValueStore} in Redis (or Valkey, or a Redis Cluster), for
 * state shared by several server replicas. Values are JSON strings under
 * `<prefix><key>`; TTLs are Redis expiries; compareAndSet and increment are
 * Lua scripts, atomic across every process using the same Redis. When Redis
 * cannot be reached, calls fail at once with `MCPKIT_STORAGE_UNAVAILABLE`
 * while the client reconnects in the background; once Redis is back, calls
 * succeed again.
 *
 * @example
 * ```ts
 * import { RedisStore } from "mcpkit/redis";
 * const store = new RedisStore({ prefix: "myapp:" }); // REDIS_URL, else redis://127.0.0.1:6379
 * await store.set("session:abc", { user: "ada" }, { ttlMs: 3_600_000 });
 * ```
 */
export class RedisStore implements KeyValueStore {
  private readonly client: RedisClient;
  private readonly commands: Commands;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly commandTimeoutMs: number;
  private readonly described: Described;
  private readonly gate: ConnectionGate;
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    const prefix = options.prefix ?? "mcpkit:";
    if (typeof prefix !== "string") throw invalid(`prefix must be a string, got ${typeof prefix}`);
    const connectTimeoutMs = positive("connectTimeoutMs", options.connectTimeoutMs ?? 3_000);
    this.commandTimeoutMs = positive("commandTimeoutMs", options.commandTimeoutMs ?? 1_000);
    this.prefix = prefix;
    if (options.client !== undefined) {
      // ioredis adds keyPrefix to command keys but not to SCAN patterns, so keys() would list nothing.
      if ((options.client.options as { keyPrefix?: string }).keyPrefix) throw invalid("The client has a keyPrefix: use the store's prefix option instead");
      this.client = options.client;
      this.owned = false;
      this.described = describeClient(options.client);
    } else {
      const url = options.url ?? (process.env.REDIS_URL || "redis://127.0.0.1:6379");
      this.described = describeUrl(url);
      this.client = createClient(url, connectTimeoutMs, this.commandTimeoutMs);
      this.owned = true;
    }
    this.commands = this.client as unknown as Commands;
    this.gate = new ConnectionGate(this.client, connectTimeoutMs);
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkKey(key);
    const text = asText(await this.run("get", key, (c) => c.call("GET", this.prefix + key)));
    return text === undefined ? undefined : decode<T>(key, text);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    const args = this.setArgs(checkKey(key), encode(key, value), checkTtl(options.ttlMs));
    await this.run("set", key, (c) => c.call("SET", ...args));
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    return Number(await this.run("delete", key, (c) => c.call("DEL", this.prefix + key))) === 1;
  }

  async has(key: string): Promise<boolean> {
    checkKey(key);
    return Number(await this.run("has", key, (c) => c.call("EXISTS", this.prefix + key))) === 1;
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]> {
    for (const key of keys) checkKey(key);
    // MGET takes many keys in one command, which a Cluster refuses unless they
    // share a hash slot (CROSSSLOT) and an ioredis Cluster pipeline refuses
    // unless they share a node. So: MGET on a single server (one round trip
    // and one consistent snapshot per BATCH keys), and on a Cluster one GET per key,
    // sent concurrently so ioredis routes each to its node (and batches them
    // per node when the client has enableAutoPipelining).
    if (this.client.isCluster) return Promise.all(keys.map((key) => this.get<T>(key)));
    const out: (T | undefined)[] = [];
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH);
      const reply = await this.run("getMany", undefined, (c) => c.call("MGET", ...batch.map((k) => this.prefix + k)));
      const texts = Array.isArray(reply) ? reply : [];
      batch.forEach((key, j) => {
        const text = asText(texts[j]);
        out.push(text === undefined ? undefined : decode<T>(key, text));
      });
    }
    return out;
  }

  async setMany(entries: readonly (readonly [string, unknown])[], options: SetOptions = {}): Promise<void> {
    const ttl = checkTtl(options.ttlMs);
    // Everything is checked before anything is sent: a bad entry writes nothing.
    const writes = entries.map(([key, value]) => this.setArgs(checkKey(key), encode(key, value), ttl));
    if (writes.length === 0) return;
    if (this.client.isCluster) {
      // A MULTI may not span slots: on a Cluster each key is written on its own (not atomically).
      await Promise.all(writes.map((args, i) => this.run("setMany", entries[i]?.[0], (c) => c.call("SET", ...args))));
      return;
    }
    await this.run("setMany", undefined, async (c) => {
      const tx = c.multi();
      for (const args of writes) tx.call("SET", ...args);
      const results = await tx.exec();
      if (results === null) throw new Error("the transaction was aborted");
      for (const [error] of results) if (error) throw error;
    });
  }

  async *keys(prefix = ""): AsyncIterable<string> {
    if (typeof prefix !== "string") throw invalid(`A key prefix must be a string, got ${typeof prefix}`);
    // The user's prefix is literal text: escaped, `*` or `[` in it must not widen the match.
    const match = `${escapeGlob(this.prefix + prefix)}*`;
    // SCAN only covers the server it is sent to: on a Cluster, every master in turn.
    const nodes = await this.run("keys", undefined, async (c) => (this.client.isCluster ? ((this.client as Cluster).nodes("master") as unknown as Commands[]) : [c]));
    // SCAN may return a key twice (when Redis rehashes mid-scan); callers get each once.
    const seen = new Set<string>();
    for (const node of nodes) {
      let cursor = "0";
      do {
        const reply = await this.run("keys", undefined, () => node.call("SCAN", cursor, "MATCH", match, "COUNT", BATCH));
        const [next, batch] = Array.isArray(reply) ? reply : [];
        cursor = asText(next) ?? "0";
        for (const raw of Array.isArray(batch) ? batch : []) {
          const key = asText(raw);
          if (key === undefined || seen.has(key)) continue;
          seen.add(key);
          yield key.slice(this.prefix.length);
        }
      } while (cursor !== "0");
    }
  }

  async compareAndSet(key: string, expected: unknown, next: unknown, options: SetOptions = {}): Promise<boolean> {
    checkKey(key);
    const ttl = checkTtl(options.ttlMs);
    const nextText = encode(key, next);
    // Like MemoryStore: the stored text is compared with JSON.stringify(expected).
    const expectedArgs = expected === undefined ? ["0", ""] : ["1", encode(key, expected)];
    const args = [...expectedArgs, nextText, ttl === undefined ? "" : px(ttl)];
    // Number(): a caller's client may have `stringNumbers` on.
    return Number(await this.run("compareAndSet", key, (c) => runScript(c, COMPARE_AND_SET, this.prefix + key, args))) === 1;
  }

  async increment(key: string, by = 1, options: SetOptions = {}): Promise<number> {
    if (typeof by !== "number" || !Number.isFinite(by)) throw invalid(`increment needs a finite number, got ${String(by)}`);
    checkKey(key);
    const ttl = checkTtl(options.ttlMs);
    const reply = await this.run("increment", key, (c) => runScript(c, INCREMENT, this.prefix + key, [String(by), ttl === undefined ? "" : px(ttl)]));
    return Number(asText(reply));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate.detach();
    if (!this.owned) return;
    const client = this.client;
    if (client.status === "ready") {
      try {
        await withDeadline(client.quit(), this.commandTimeoutMs);
        return;
      } catch {
        // QUIT did not get through: drop the socket instead.
      }
    }
    client.disconnect();
  }

  /** Send through the gate, bounded in time, with every failure mapped to a typed error. */
  private async run<T>(op: string, key: string | undefined, send: (c: Commands) => Promise<T>): Promise<T> {
    try {
      if (this.closed) throw closedError();
      // The common case, connected, costs no extra promise.
      if (this.client.status !== "ready") await this.gate.ready();
      // A client the store made has a socket timeout that fails stalled commands by itself;
      // a caller's client may not, so its commands get a deadline of their own.
      return await (this.owned ? send(this.commands) : withDeadline(send(this.commands), this.commandTimeoutMs));
    } catch (error) {
      throw toStoreError(error, { op, key, ...this.described });
    }
  }

  private setArgs(key: string, text: string, ttl: number | undefined): (string | number)[] {
    return ttl === undefined ? [this.prefix + key, text] : [this.prefix + key, text, "PX", px(ttl)];
  }
}

/** Escape Redis glob metacharacters so a pattern matches the text literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/** PX takes whole milliseconds: round up (never expire early), and cap what Redis accepts. */
function px(ttlMs: number): string {
  return String(Math.min(Math.ceil(ttlMs), Number.MAX_SAFE_INTEGER));
}

function asText(reply: unknown): string | undefined {
  if (typeof reply === "string") return reply;
  if (Buffer.isBuffer(reply)) return reply.toString("utf8");
  return undefined;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function positive(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw invalid(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  return value;
}

function invalid(message: string): McpkitError {
  return new McpkitError(ErrorCodes.STORAGE_INVALID, message);
}
