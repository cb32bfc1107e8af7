/**
 * The behaviour every key-value store must show, backend or wrapper alike.
 * Each backend's test file runs it unchanged against a fresh store.
 */
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../src/index.js";
import type { KeyValueStore } from "../src/storage/index.js";

const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out.sort();
};

/** Run the contract against stores from `make` (a fresh, empty store per test). */
export function storeContract(name: string, make: () => KeyValueStore | Promise<KeyValueStore>): void {
  describe(`${name}: the key-value contract`, () => {
    const fresh = async () => make();

    it("gives back what was set, as a copy, and undefined for a missing key", async () => {
      const store = await fresh();
      const value = { a: [1, 2, { b: "c" }], unicode: "héllo ✓" };
      await store.set("k", value);
      const read = await store.get<typeof value>("k");
      expect(read).toEqual(value);
      expect(read).not.toBe(value);
      expect(await store.get("missing")).toBeUndefined();
      await store.close();
    });

    it("deletes and reports whether the key was there", async () => {
      const store = await fresh();
      await store.set("k", 1);
      expect(await store.has("k")).toBe(true);
      expect(await store.delete("k")).toBe(true);
      expect(await store.delete("k")).toBe(false);
      expect(await store.has("k")).toBe(false);
      await store.close();
    });

    it("never returns an expired entry", async () => {
      const store = await fresh();
      await store.set("short", "x", { ttlMs: 30 });
      await store.set("long", "y", { ttlMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await store.get("short")).toBeUndefined();
      expect(await store.has("short")).toBe(false);
      expect(await collect(store.keys())).toEqual(["long"]);
      await store.close();
    });

    it("reads and writes many at once, in order", async () => {
      const store = await fresh();
      await store.setMany([["a", 1], ["b", 2]]);
      expect(await store.getMany(["b", "missing", "a"])).toEqual([2, undefined, 1]);
      await store.close();
    });

    it("lists keys by prefix, separators and unicode included", async () => {
      const store = await fresh();
      await store.setMany([["user:1/name", 1], ["user:2/name", 2], ["team:1", 3], ["ü:ñ/✓", 4]]);
      expect(await collect(store.keys("user:"))).toEqual(["user:1/name", "user:2/name"]);
      expect(await collect(store.keys())).toEqual(["team:1", "user:1/name", "user:2/name", "ü:ñ/✓"]);
      await store.close();
    });

    it("compares and sets atomically: only one of many racing writers wins", async () => {
      const store = await fresh();
      expect(await store.compareAndSet("code", undefined, { used: false })).toBe(true);
      const attempts = await Promise.all(Array.from({ length: 10 }, () => store.compareAndSet("code", { used: false }, { used: true })));
      expect(attempts.filter(Boolean)).toHaveLength(1);
      expect(await store.get("code")).toEqual({ used: true });
      expect(await store.compareAndSet("code", undefined, "x")).toBe(false);
      await store.close();
    });

    it("increments atomically from zero", async () => {
      const store = await fresh();
      const values = await Promise.all(Array.from({ length: 20 }, () => store.increment("hits")));
      expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.increment("hits", 5)).toBe(25);
      await store.set("text", "nope");
      await expect(store.increment("text")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
      await store.close();
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("refuses a TTL of %s and writes nothing", async (ttlMs) => {
      const store = await fresh();
      await expect(store.set("k", 1, { ttlMs })).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
      expect(await store.has("k")).toBe(false);
      await store.close();
    });

    it("refuses values that are not JSON, leaving other keys alone", async () => {
      const store = await fresh();
      await store.set("keep", "safe");
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [cyclic, 10n, () => 1, undefined]) {
        await expect(store.set("bad", bad)).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
      }
      await expect(store.setMany([["ok", 1], ["bad", 10n]])).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
      expect(await store.has("ok")).toBe(false);
      expect(await store.get("keep")).toBe("safe");
      await store.close();
    });

    it("refuses an empty key and a 10 KB key with a clear error", async () => {
      const store = await fresh();
      await expect(store.set("", 1)).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
      await expect(store.set("k".repeat(10_240), 1)).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID, message: expect.stringContaining("4096 bytes") });
      await store.close();
    });
  });
}
