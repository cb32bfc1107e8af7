/**
 * RedisStore against a real Redis at REDIS_URL (default 127.0.0.1:6379).
 * Every store works under a random prefix, removed in afterAll. Without a
 * reachable Redis the file skips, except under CI, where it fails.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../src/index.js";
import { RedisStore, type RedisStoreOptions } from "../src/redis/index.js";
import { escapeGlob } from "../src/redis/redis-store.js";
import { collection, encrypted } from "../src/storage/index.js";
import { storeContract } from "./storage-contract.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Everything this run writes lives under this prefix. */
const RUN = `mcpkit-test:${randomUUID()}:`;

/** The URL without its password, for messages. */
const shown = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

async function reachable(url: string): Promise<string | undefined> {
  const probe = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 1_000, maxRetriesPerRequest: 0 });
  let cause: unknown;
  probe.on("error", (error: unknown) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (error) {
    // The connection error event says more ("ECONNREFUSED") than the rejection ("Connection is closed").
    const first = cause ?? error;
    return first instanceof Error ? first.message : String(first);
  } finally {
    probe.disconnect();
  }
}

const unreachable = await reachable(REDIS_URL);
if (unreachable !== undefined && !process.env.CI) {
  console.warn(`[storage-redis] SKIPPED: the RedisStore tests (contract, TTL, replicas, failures) need a Redis at ${shown(REDIS_URL)}, which is not reachable (${unreachable}). Start one (scripts/ensure-services.sh) or set REDIS_URL.`);
}

describe.runIf(unreachable !== undefined && !!process.env.CI)("Redis under CI", () => {
  it("is reachable (CI never skips the Redis tests)", () => {
    throw new Error(`Redis is not reachable at ${shown(REDIS_URL)} (${unreachable ?? ""}); under CI the RedisStore tests must run: start it with scripts/ensure-services.sh`);
  });
});

describe.skipIf(unreachable !== undefined)("RedisStore", () => {
  const raw = new Redis(REDIS_URL, { lazyConnect: true });
  const opened: RedisStore[] = [];
  let count = 0;
  const freshPrefix = () => `${RUN}${count++}:`;
  const open = (options: RedisStoreOptions = {}) => {
    const store = new RedisStore({ url: REDIS_URL, prefix: freshPrefix(), ...options });
    opened.push(store);
    return store;
  };
  const key = () => crypto.getRandomValues(new Uint8Array(32));
  const all = async (it: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const k of it) out.push(k);
    return out.sort();
  };

  afterAll(async () => {
    // collection() does not close the store under it: close every store here.
    await Promise.all(opened.map((s) => s.close()));
    let cursor = "0";
    do {
      const [next, keys] = await raw.scan(cursor, "MATCH", `${escapeGlob(RUN)}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await raw.del(...keys);
    } while (cursor !== "0");
    raw.disconnect();
  });

  storeContract("RedisStore", () => open());
  storeContract("collection over RedisStore", () => collection(open(), "app"));
  storeContract("encrypted RedisStore", () => encrypted(open(), { keys: [key()] }));
  storeContract("encrypted collection over RedisStore", () => encrypted(collection(open(), "app"), { keys: [key()] }));

  it("keeps TTLs in Redis itself: a new counter takes its TTL, an existing one keeps its expiry", async () => {
    const prefix = freshPrefix();
    const store = open({ prefix });
    await store.set("ttl", 1, { ttlMs: 60_000 });
    await store.set("forever", 1);
    await store.setMany([["many", 1]], { ttlMs: 30_000 });
    await store.compareAndSet("cas", undefined, 1, { ttlMs: 45_000 });
    await store.increment("counter", 1, { ttlMs: 20_000 });
    await store.increment("counter", 1, { ttlMs: 90_000 });
    const pttl = async (k: string) => raw.pttl(prefix + k);
    expect(await pttl("ttl")).toBeGreaterThan(55_000);
    expect(await pttl("ttl")).toBeLessThanOrEqual(60_000);
    expect(await pttl("forever")).toBe(-1);
    expect(await pttl("many")).toBeGreaterThan(25_000);
    expect(await pttl("cas")).toBeGreaterThan(40_000);
    expect(await pttl("counter")).toBeGreaterThan(15_000);
    expect(await pttl("counter")).toBeLessThanOrEqual(20_000);
    // Values are plain JSON strings, readable by any Redis client.
    expect(await raw.get(`${prefix}counter`)).toBe("2");
    // Rewriting without a TTL makes the entry permanent, as in MemoryStore.
    await store.set("ttl", 2);
    expect(await pttl("ttl")).toBe(-1);
  });

  it("stores counters exactly as JSON.stringify would write them", async () => {
    const prefix = freshPrefix();
    const store = open({ prefix });
    const cases: [number, number][] = [[0.1, 0.2], [2 ** 60, 0], [1e20, 1e20], [5e-7, 0], [-1.5, 0.25], [123456789.125, 1]];
    for (const [i, [start, by]] of cases.entries()) {
      await store.set(`n${i}`, start);
      expect(await store.increment(`n${i}`, by)).toBe(start + by);
      expect(await raw.get(`${prefix}n${i}`)).toBe(JSON.stringify(start + by));
      expect(await store.compareAndSet(`n${i}`, start + by, "done")).toBe(true);
    }
  });

  it("lets two replicas see each other's writes, and race compareAndSet with exactly one winner", async () => {
    const prefix = freshPrefix();
    const a = open({ prefix });
    const b = open({ prefix });
    await a.set("shared", { from: "a" });
    expect(await b.get("shared")).toEqual({ from: "a" });
    expect(await b.delete("shared")).toBe(true);
    expect(await a.has("shared")).toBe(false);

    for (let round = 0; round < 5; round++) {
      const code = `code-${round}`;
      expect(await a.compareAndSet(code, undefined, { used: false })).toBe(true);
      const racers = Array.from({ length: 20 }, (_, i) => ({ store: i % 2 === 0 ? a : b, by: `replica-${i % 2}-${i}` }));
      const won = await Promise.all(racers.map(({ store, by }) => store.compareAndSet(code, { used: false }, { used: true, by })));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = racers[won.indexOf(true)];
      expect(await b.get(code)).toEqual({ used: true, by: winner?.by });
    }

    const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).increment("hits")));
    expect(new Set(counts).size).toBe(40);
    expect(await a.get("hits")).toBe(40);
  });

  it("treats glob characters in the store prefix and in keys(prefix) literally", async () => {
    const base = freshPrefix();
    const store = open({ prefix: `${base}g*?[ab]\\:` });
    // Keys an unescaped pattern would match: `*` = "X", `?` = "Y", `[ab]` = "a", `\:` = ":".
    await raw.set(`${base}gXYa:other`, "1");
    await raw.set(`${base}g*?[ab]\\:`.replace("*", "Z*"), "1");
    await store.setMany([["a*b", 1], ["abc", 2], ["[x]", 3], ["?", 4], ["\\k", 5], ["plain", 6]]);
    expect(await all(store.keys())).toEqual(["?", "[x]", "\\k", "a*b", "abc", "plain"]);
    expect(await all(store.keys("a*"))).toEqual(["a*b"]);
    expect(await all(store.keys("["))).toEqual(["[x]"]);
    expect(await all(store.keys("?"))).toEqual(["?"]);
    expect(await all(store.keys("\\"))).toEqual(["\\k"]);
    expect(await all(store.keys("*"))).toEqual([]);
  });

  it("reads a value corrupted behind its back as MCPKIT_STORAGE_CORRUPT, leaving other keys alone", async () => {
    const prefix = freshPrefix();
    const store = open({ prefix });
    await store.set("good", { ok: true });
    await raw.set(`${prefix}bad`, "{not json");
    await raw.hset(`${prefix}hash`, "field", "1");
    await raw.set(`${prefix}nan`, "nan");
    await expect(store.get("bad")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await expect(store.getMany(["good", "bad"])).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await expect(store.increment("bad")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await expect(store.increment("nan")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await expect(store.get("hash")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await expect(store.compareAndSet("hash", undefined, 1)).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    expect(await store.get("good")).toEqual({ ok: true });
    expect(await all(store.keys())).toEqual(["bad", "good", "hash", "nan"]);
    // A corrupted entry can still be overwritten or removed.
    expect(await store.compareAndSet("bad", undefined, 1)).toBe(false);
    expect(await store.delete("bad")).toBe(true);
  });

  it("fails fast with MCPKIT_STORAGE_UNAVAILABLE when Redis is not there, without leaking the password", async () => {
    const store = open({ url: "redis://user:s3cret-pw@127.0.0.1:1" });
    for (const call of [() => store.get("k"), () => store.set("k", 1), () => store.increment("k"), () => all(store.keys())]) {
      const started = performance.now();
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(error).toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
      expect((error as Error).cause).toBeDefined();
      expect((error as Error).message).toContain("127.0.0.1:1");
      expect((error as Error).message).not.toContain("s3cret-pw");
    }
  });

  it("refuses calls after close and leaves a caller's client open", async () => {
    const client = new Redis(REDIS_URL);
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    await store.set("k", 1);
    await store.close();
    await store.close();
    await expect(store.get("k")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
    await expect(all(store.keys())).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
    expect(await client.get(`${prefix}k`)).toBe("1");
    await client.quit();
    // A store over a client that was quit fails at once rather than waiting for a connection.
    const started = performance.now();
    await expect(new RedisStore({ client, prefix }).get("k")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
    expect(performance.now() - started).toBeLessThan(500);

    const owned = open();
    await owned.set("k", 1);
    await owned.close();
    await expect(owned.set("k", 2)).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
  });

  it("works over a caller's client whatever its reply options, and refuses one with a keyPrefix", async () => {
    const client = new Redis(REDIS_URL, { replyMapping: "resp3", stringNumbers: true });
    try {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      await store.set("k", { a: 1 });
      expect(await store.has("k")).toBe(true);
      expect(await store.compareAndSet("k", { a: 1 }, 2)).toBe(true);
      expect(await store.increment("k", 0.5)).toBe(2.5);
      expect(await store.getMany(["k", "none"])).toEqual([2.5, undefined]);
      expect(await all(store.keys())).toEqual(["k"]);
      expect(await store.delete("k")).toBe(true);
      await store.close();
      const prefixed = new Redis(REDIS_URL, { keyPrefix: "app:", lazyConnect: true });
      expect(() => new RedisStore({ client: prefixed })).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID }));
      prefixed.disconnect();
    } finally {
      client.disconnect();
    }
  });

  it("refuses bad options with MCPKIT_STORAGE_INVALID, without echoing a malformed URL", () => {
    expect(() => new RedisStore({ url: "http://127.0.0.1:6379" })).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID }));
    expect(() => new RedisStore({ url: "redis://user:pw@[bad" })).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID, message: expect.not.stringContaining("pw") }));
    expect(() => new RedisStore({ commandTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID }));
  });
});
