/**
 * Storage: get/set throughput of each mcpkit store against the raw driver
 * doing the same work by hand (JSON in and out, a TTL on every write), so
 * the ratio is what the KeyValueStore layer costs. Sequential (one caller)
 * and with 32 callers at once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alternate } from "./stats.mjs";

const dist = (p) => new URL(`../../dist/${p}`, import.meta.url).href;
const VALUE = { user: "alice", scopes: ["read", "write"], issuedAt: 1_700_000_000_000, note: "a typical small record" };
const TTL_MS = 60_000;

/** Ops/s of `op(i)` for `ms` milliseconds with `lanes` callers (each op is one set or one get). */
async function rate(op, ms, lanes) {
  let n = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  const lane = async () => {
    while (performance.now() < end) await op(n++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return n / ((performance.now() - start) / 1000);
}

/** Alternate writes and reads over 1,000 keys. */
const mixed = (set, get) => (i) => (i % 2 === 0 ? set(`k${i % 1000}`) : get(`k${(i - 1) % 1000}`));

async function backends() {
  const { MemoryStore, FileStore } = await import(dist("storage/index.js"));
  const list = [];
  list.push({ name: "memory", open: async () => wrap(new MemoryStore()) });
  const dir = await mkdtemp(join(tmpdir(), "mcpkit-bench-file-"));
  list.push({ name: "file", open: async () => wrap(new FileStore({ directory: dir })), cleanup: () => rm(dir, { recursive: true, force: true }) });
  const prefix = `mcpkit-bench:${process.pid}:`;
  try {
    const { RedisStore } = await import(dist("redis/index.js"));
    const { Redis } = await import("ioredis");
    list.push({ name: "redis", open: async () => wrap(new RedisStore({ prefix })) });
    list.push({
      name: "redis (raw ioredis)",
      raw: true,
      open: async () => {
        const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
        return {
          set: (k) => redis.set(`${prefix}raw:${k}`, JSON.stringify(VALUE), "PX", TTL_MS),
          get: async (k) => {
            const text = await redis.get(`${prefix}raw:${k}`);
            return text === null ? undefined : JSON.parse(text);
          },
          close: async () => {
            const keys = await redis.keys(`${prefix}*`);
            if (keys.length > 0) await redis.del(...keys);
            await redis.quit();
          },
        };
      },
    });
  } catch (error) {
    console.log(`  storage: Redis skipped (${error.message})`);
  }
  try {
    const { PostgresStore } = await import(dist("postgres/index.js"));
    const pg = (await import("pg")).default;
    const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const table = `bench_kv_${process.pid}`;
    list.push({ name: "postgres", open: async () => wrap(new PostgresStore({ connectionString: url, table })) });
    list.push({
      name: "postgres (raw pg)",
      raw: true,
      open: async () => {
        // Configured like the store's own pool (its statement timeout arms a timer in the server for
        // every statement), so the ratio is the cost of the store's code, not of that safety setting.
        const pool = new pg.Pool({ connectionString: url, max: 10, statement_timeout: 10_000 });
        // The same table shape and statements the store uses, written by hand: the ratio is the store's own cost.
        const t = `${table}_raw`;
        const now = "statement_timestamp()";
        await pool.query(
          `CREATE TABLE IF NOT EXISTS ${t} (namespace text NOT NULL, key text COLLATE "C" NOT NULL, value text NOT NULL, expires_at timestamptz, PRIMARY KEY (namespace, key)); ` +
            `CREATE INDEX IF NOT EXISTS ${t}_exp ON ${t} (expires_at) WHERE expires_at IS NOT NULL`,
        );
        return {
          set: (k) =>
            pool.query(
              `INSERT INTO ${t} (namespace, key, value, expires_at) VALUES ($1, $2, $3, ${now} + $4::float8 * interval '1 millisecond') ` +
                `ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
              ["raw", k, JSON.stringify(VALUE), TTL_MS],
            ),
          get: async (k) => {
            const { rows } = await pool.query(`SELECT value FROM ${t} WHERE namespace = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > ${now})`, ["raw", k]);
            return rows[0] === undefined ? undefined : JSON.parse(rows[0].value);
          },
          close: async () => {
            await pool.query(`DROP TABLE IF EXISTS ${table}_raw`);
            await pool.query(`DROP TABLE IF EXISTS ${table}`);
            await pool.end();
          },
        };
      },
    });
  } catch (error) {
    console.log(`  storage: PostgreSQL skipped (${error.message})`);
  }
  return list;

  function wrap(store) {
    return { set: (k) => store.set(k, VALUE, { ttlMs: TTL_MS }), get: (k) => store.get(k), close: () => store.close() };
  }
}

export async function storageSuite(ctx) {
  const ms = ctx.quick ? 300 : 2000;
  const list = await backends();
  for (let round = 0; round < ctx.rounds; round++) {
    for (const b of alternate(list, round)) {
      for (const lanes of [1, 32]) {
        await ctx.attempt(`storage-${lanes}`, b.name, async () => {
          const s = await b.open();
          try {
            await rate(mixed(s.set, s.get), Math.min(200, ms / 4), lanes); // warm-up, fills the keys
            return await rate(mixed(s.set, s.get), ms, lanes);
          } finally {
            await s.close();
          }
        });
      }
    }
  }
  // The store against its raw driver, paired: short windows back to back in alternating order,
  // one ratio per pair. Separate runs drift by tens of percent here; adjacent windows do not.
  const pairs = ctx.quick ? 2 : 10;
  for (const store of list.filter((b) => list.some((r) => r.name === `${b.name} (raw ${b.name === "redis" ? "ioredis" : "pg"})`))) {
    const raw = list.find((r) => r.name.startsWith(`${store.name} (raw`));
    for (const lanes of [1, 32]) {
      await ctx.attempt(`storage-paired-${lanes}`, store.name, async () => {
        const [a, b] = [await raw.open(), await store.open()];
        try {
          const [runA, runB] = [mixed(a.set, a.get), mixed(b.set, b.get)];
          await rate(runA, 200, lanes);
          await rate(runB, 200, lanes);
          const ratios = [];
          for (let i = 0; i < pairs; i++) {
            const first = i % 2 === 0;
            const x = await rate(first ? runA : runB, ms / 4, lanes);
            const y = await rate(first ? runB : runA, ms / 4, lanes);
            ratios.push(first ? y / x : x / y);
          }
          return ratios.sort((p, q) => p - q)[Math.floor(ratios.length / 2)];
        } finally {
          await a.close();
          await b.close();
        }
      });
    }
  }
  for (const b of list) await b.cleanup?.();
}
