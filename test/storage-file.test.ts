import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../src/index.js";
import { FileStore, encrypted } from "../src/storage/index.js";
import { storeContract } from "./storage-contract.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// Under test/fixtures/.tmp-*, which git ignores; removed when the file is done.
const TMP = join(ROOT, "test", "fixtures", `.tmp-storage-${randomBytes(6).toString("hex")}`);
let count = 0;
const freshDir = () => join(TMP, `store-${++count}`);

afterAll(async () => {
  await rm(TMP, { recursive: true, force: true });
});

const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out.sort();
};

/** Every path under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

/** The file the store keeps `key` in; the tests know the naming scheme on purpose, to damage files. */
const entryFile = (dir: string, key: string) => join(dir, `${createHash("sha256").update(key).digest("hex")}.json`);

storeContract("FileStore", () => new FileStore({ directory: freshDir() }));
storeContract("encrypted FileStore", () => encrypted(new FileStore({ directory: freshDir() }), { keys: [crypto.getRandomValues(new Uint8Array(32))] }));

describe("FileStore on disk", () => {
  it("creates its directory private to the user, and keeps data across restarts", async () => {
    const directory = join(freshDir(), "nested", "deeper");
    const first = new FileStore({ directory });
    await first.set("user:1", { name: "Ada" });
    await first.set("short", 1, { ttlMs: 60_000 });
    await first.increment("hits", 3);
    await first.close();
    await expect(first.get("user:1")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });

    const second = new FileStore({ directory });
    expect(await second.get("user:1")).toEqual({ name: "Ada" });
    expect(await second.get("short")).toBe(1);
    expect(await second.increment("hits")).toBe(4);
    expect(await collect(second.keys())).toEqual(["hits", "short", "user:1"]);
    if (process.platform !== "win32") {
      const { stat } = await import("node:fs/promises");
      expect((await stat(directory)).mode & 0o777).toBe(0o700);
    }
    await second.close();
  });

  it("keeps every key inside the directory, whatever its characters", async () => {
    const base = freshDir();
    const directory = join(base, "store");
    const store = new FileStore({ directory });
    const long = "ü✓".repeat(800); // 4000 bytes of UTF-8
    const keys = ["../../etc/passwd", "a/b/c", "..", ".", "/abs", "C:\\x", "nul\u0000byte", long];
    for (const [i, key] of keys.entries()) await store.set(key, i);
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toBe(i);
    expect(await collect(store.keys())).toEqual([...keys].sort());
    // Nothing was written beside the store's directory, and nothing below it but flat files.
    expect(await readdir(base)).toEqual(["store"]);
    const files = await tree(directory);
    expect(files).toHaveLength(keys.length);
    for (const file of files) {
      expect(file).toMatch(/^[0-9a-f]{64}\.json$/);
      expect(relative(directory, resolve(directory, file)).startsWith("..")).toBe(false);
    }
    await store.close();
  });

  it("reports a damaged file as corrupt for its key only, and lets it be overwritten or deleted", async () => {
    const directory = freshDir();
    const store = new FileStore({ directory });
    await store.setMany([["a", "alpha"], ["b", "beta"], ["c", "gamma"]]);
    await writeFile(entryFile(directory, "a"), '{"v":1,"key":"a","expi');
    await writeFile(entryFile(directory, "c"), JSON.stringify({ v: 1, key: "not-c", expiresAt: null, value: "moved" }));
    await expect(store.get("a")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT, message: expect.stringContaining("'a'") });
    await expect(store.get("c")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await expect(store.increment("a")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    expect(await store.get("b")).toBe("beta");
    expect(await collect(store.keys())).toEqual(["b"]);
    await store.set("a", "repaired");
    expect(await store.get("a")).toBe("repaired");
    expect(await store.delete("c")).toBe(true);
    expect(await store.get("c")).toBeUndefined();
    await store.close();
  });

  it("never shows a partial write: a temporary file left by a crash is ignored", async () => {
    const directory = freshDir();
    const store = new FileStore({ directory });
    await store.set("k", { complete: true });
    const target = entryFile(directory, "k");
    // What a writer killed mid-write leaves behind: half a record under a temporary name.
    await writeFile(`${target}.4242.abcdef012345.tmp`, '{"v":1,"key":"k","expiresAt":null,"value":{"compl');
    await writeFile(join(directory, "stray.tmp"), "junk");
    expect(await store.get("k")).toEqual({ complete: true });
    expect(await collect(store.keys())).toEqual(["k"]);
    await store.set("k", { complete: "again" });
    expect(JSON.parse(await readFile(target, "utf8"))).toMatchObject({ key: "k", value: { complete: "again" } });
    await store.close();
  });

  it("removes an expired entry when it is read", async () => {
    const directory = freshDir();
    const store = new FileStore({ directory });
    await store.set("gone", 1, { ttlMs: 20 });
    await new Promise((r) => setTimeout(r, 40));
    expect(await store.get("gone")).toBeUndefined();
    expect(await tree(directory)).toEqual([]);
    await store.close();
  });
});

describe("FileStore locks", () => {
  const lockFile = (dir: string, key: string) => `${entryFile(dir, key)}.lock`;

  it("recovers a lock left by a process that died", async () => {
    const directory = freshDir();
    const store = new FileStore({ directory, lockTimeoutMs: 2_000 });
    await store.set("n", 1);
    const dead = await deadPid();
    await writeFile(lockFile(directory, "n"), JSON.stringify({ pid: dead, token: "x", at: Date.now() }));
    const started = Date.now();
    expect(await store.increment("n")).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await tree(directory)).toEqual([entryFile(directory, "n").slice(directory.length + 1)]);
    await store.close();
  });

  it("recovers a lock older than staleLockMs even if its owner runs, and times out on a fresh one", async () => {
    const directory = freshDir();
    const store = new FileStore({ directory, lockTimeoutMs: 200, staleLockMs: 5_000 });
    await store.set("n", 1);
    // Held by this very process (alive), so only age can free it.
    await writeFile(lockFile(directory, "n"), JSON.stringify({ pid: process.pid, token: "held", at: Date.now() }));
    await expect(store.increment("n")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE, message: expect.stringContaining("'n'") });
    // Reads never wait for a lock.
    expect(await store.get("n")).toBe(1);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile(directory, "n"), old, old);
    expect(await store.increment("n")).toBe(2);
    await store.close();
  });
});

describe("FileStore across processes", () => {
  const worker = join(TMP, "worker.ts");

  /** Start `count` children on one directory, release them at once, and collect what each printed. */
  async function race(directory: string, op: "increment" | "claim", count: number): Promise<unknown[][]> {
    await mkdir(dirname(worker), { recursive: true });
    await writeFile(worker, WORKER.replace("STORAGE_URL", pathToFileURL(join(ROOT, "src/storage/index.ts")).href));
    const children = Array.from({ length: count }, (_, id) => {
      const child = spawn(process.execPath, ["--import", "tsx", worker, directory, op, String(id)], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((ok) => child.stdout.on("data", () => out.includes("ready") && ok()));
      const done = new Promise<unknown[]>((ok, fail) =>
        child.on("exit", (code) => (code === 0 ? ok(JSON.parse(out.slice(out.indexOf("ready") + 5)) as unknown[]) : fail(new Error(`worker ${id} exited ${code}: ${err}`)))),
      );
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.end("go\n");
    return Promise.all(children.map((c) => c.done));
  }

  it("two processes doing 100 increments each end at exactly 200", { timeout: 60_000 }, async () => {
    const directory = freshDir();
    const results = (await race(directory, "increment", 2)) as number[][];
    const all = results.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const store = new FileStore({ directory });
    expect(await store.get("n")).toBe(200);
    await store.close();
  });

  it("racing compareAndSet across processes has exactly one winner per key", { timeout: 60_000 }, async () => {
    const directory = freshDir();
    const [a = [], b = []] = (await race(directory, "claim", 2)) as boolean[][];
    const store = new FileStore({ directory });
    for (let i = 0; i < 50; i++) {
      expect([a[i], b[i]].filter(Boolean)).toHaveLength(1);
      expect(await store.get(`slot:${i}`)).toBe(a[i] === true ? 0 : 1);
    }
    await store.close();
  });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((ok) => child.on("exit", ok));
  return child.pid as number;
}

/** A child that waits for "go" on stdin, then hammers the store; prints "ready", then its results as JSON. */
const WORKER = `
import { FileStore } from "STORAGE_URL";
const [directory, op, id] = process.argv.slice(2);
const store = new FileStore({ directory, lockTimeoutMs: 30_000 });
process.stdout.write("ready");
await new Promise((go) => process.stdin.once("data", go));
const results = [];
if (op === "increment") {
  for (let i = 0; i < 100; i++) results.push(await store.increment("n"));
} else {
  for (let i = 0; i < 50; i++) results.push(await store.compareAndSet("slot:" + i, undefined, Number(id)));
}
await store.close();
process.stdout.write(JSON.stringify(results));
process.stdin.destroy();
`;
