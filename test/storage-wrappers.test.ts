import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { ErrorCodes } from "../src/index.js";
import { MemoryStore, collection, typed, withTtl, type KeyValueStore } from "../src/storage/index.js";
import { storeContract } from "./storage-contract.js";

storeContract("withTtl over MemoryStore", () => withTtl(new MemoryStore(), 60_000));
storeContract("withTtl over a collection", () => withTtl(collection(new MemoryStore(), "app"), 60_000));

/** A MemoryStore that records the options of each write. */
function spy(): { store: KeyValueStore; writes: unknown[] } {
  const store = new MemoryStore();
  const writes: unknown[] = [];
  const record =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>, at: number) =>
    (...args: A) => {
      writes.push(args[at]);
      return f(...args);
    };
  return {
    writes,
    store: Object.assign(Object.create(store) as KeyValueStore, {
      set: record(store.set.bind(store), 2),
      setMany: record(store.setMany.bind(store), 1),
      compareAndSet: record(store.compareAndSet.bind(store), 3),
      increment: record(store.increment.bind(store), 2),
    }),
  };
}

describe("withTtl", () => {
  it("gives writes without a TTL the default, and lets an explicit one win", async () => {
    const { store, writes } = spy();
    const view = withTtl(store, 1_000);
    await view.set("a", 1);
    await view.set("b", 1, { ttlMs: 5 });
    await view.setMany([["c", 1]]);
    await view.compareAndSet("d", undefined, 1);
    await view.increment("e");
    await view.increment("e", 1, { ttlMs: 7 });
    expect(writes).toEqual([{ ttlMs: 1_000 }, { ttlMs: 5 }, { ttlMs: 1_000 }, { ttlMs: 1_000 }, { ttlMs: 1_000 }, { ttlMs: 7 }]);
  });

  it("lets entries expire after the default TTL", async () => {
    const view = withTtl(new MemoryStore(), 30);
    await view.set("k", "v");
    expect(await view.get("k")).toBe("v");
    await new Promise((r) => setTimeout(r, 60));
    expect(await view.get("k")).toBeUndefined();
  });

  it("refuses a bad default at once", () => {
    for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, undefined as unknown as number]) {
      expect(() => withTtl(new MemoryStore(), ttl)).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID }));
    }
  });

  it("closes the view, not the store under it", async () => {
    const store = new MemoryStore();
    const view = withTtl(store, 1_000);
    await view.set("k", 1);
    await view.close();
    await expect(view.get("k")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
    expect(await store.get("k")).toBe(1);
  });
});

const User = z.object({ name: z.string().min(1), age: z.number().int().nonnegative(), admin: z.boolean().default(false) });

describe("typed", () => {
  it("round-trips valid values and infers the types from the schema", async () => {
    const users = typed(new MemoryStore(), User);
    await users.set("ada", { name: "Ada", age: 36 });
    const ada = await users.get("ada");
    expect(ada).toEqual({ name: "Ada", age: 36, admin: false });
    expect(await users.getMany(["ada", "nobody"])).toEqual([{ name: "Ada", age: 36, admin: false }, undefined]);

    expectTypeOf(ada).toEqualTypeOf<{ name: string; age: number; admin: boolean } | undefined>();
    expectTypeOf(users.set).parameter(1).toEqualTypeOf<{ name: string; age: number; admin?: boolean | undefined }>();
    expectTypeOf(users.getMany).returns.resolves.toEqualTypeOf<({ name: string; age: number; admin: boolean } | undefined)[]>();
    // @ts-expect-error: the schema says age is a number
    await expect(users.set("bob", { name: "Bob", age: "old" })).rejects.toThrow();
    expectTypeOf(users).not.toHaveProperty("increment");
  });

  it("refuses an invalid write, naming the key and the issue path, and writes nothing", async () => {
    const inner = new MemoryStore();
    const users = typed(inner, User);
    await expect(users.set("bob", { name: "Bob", age: -1 })).rejects.toMatchObject({
      code: ErrorCodes.STORAGE_INVALID,
      message: expect.stringMatching(/'bob'.*age:/),
    });
    await expect(users.setMany([["ok", { name: "Ok", age: 1 }], ["bad", { name: "", age: 1 }]])).rejects.toMatchObject({
      code: ErrorCodes.STORAGE_INVALID,
      message: expect.stringMatching(/'bad'.*name:/),
    });
    await users.set("cas", { name: "C", age: 1 });
    await expect(users.compareAndSet("cas", { name: "C", age: 1 }, { name: "C", age: 1.5 })).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
    expect(await inner.getMany(["bob", "ok", "bad"])).toEqual([undefined, undefined, undefined]);
    expect(await inner.get("cas")).toEqual({ name: "C", age: 1 });
  });

  it("reports stored data of the wrong shape as corrupt, naming the key", async () => {
    const inner = new MemoryStore();
    await inner.set("old", { name: "Old", age: "forty" });
    await inner.set("fine", { name: "Fine", age: 40 });
    const users = typed(inner, User);
    await expect(users.get("old")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT, message: expect.stringContaining("'old'") });
    await expect(users.getMany(["fine", "old"])).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    expect(await users.get("fine")).toEqual({ name: "Fine", age: 40, admin: false });
  });

  it("compares and sets against the value as written, and passes keys, has and delete through", async () => {
    const codes = typed(new MemoryStore(), z.object({ used: z.boolean() }));
    expect(await codes.compareAndSet("c1", undefined, { used: false })).toBe(true);
    const attempts = await Promise.all(Array.from({ length: 5 }, () => codes.compareAndSet("c1", { used: false }, { used: true })));
    expect(attempts.filter(Boolean)).toHaveLength(1);
    await codes.set("c2", { used: false }, { ttlMs: 60_000 });
    const keys: string[] = [];
    for await (const k of codes.keys("c")) keys.push(k);
    expect(keys.sort()).toEqual(["c1", "c2"]);
    expect(await codes.has("c2")).toBe(true);
    expect(await codes.delete("c2")).toBe(true);
    expect(await codes.has("c2")).toBe(false);
  });

  it("works with other Standard Schema libraries and async validation", async () => {
    const tags = typed(new MemoryStore(), v.array(v.string()));
    await tags.set("t", ["a", "b"]);
    expectTypeOf(await tags.get("t")).toEqualTypeOf<string[] | undefined>();
    const slow = typed(new MemoryStore(), z.string().refine(async (s) => s.startsWith("ok")));
    await slow.set("s", "ok!");
    await expect(slow.set("s", "no")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_INVALID });
    expect(await slow.get("s")).toBe("ok!");
  });

  it("refuses something that is not a schema, and closes the view only", async () => {
    expect(() => typed(new MemoryStore(), { parse: () => 1 } as never)).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID }));
    const inner = new MemoryStore();
    const view = typed(inner, z.number());
    await view.set("n", 1);
    await view.close();
    await expect(view.get("n")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
    expect(await inner.get("n")).toBe(1);
  });
});
