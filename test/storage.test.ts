import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../src/index.js";
import { MemoryStore, collection, encrypted } from "../src/storage/index.js";
import { storeContract } from "./storage-contract.js";

const key = () => crypto.getRandomValues(new Uint8Array(32));

storeContract("MemoryStore", () => new MemoryStore());
storeContract("collection over MemoryStore", () => collection(new MemoryStore(), "app"));
storeContract("encrypted MemoryStore", () => encrypted(new MemoryStore(), { keys: [key()] }));

describe("MemoryStore bounds", () => {
  it("evicts the least recently used entries past maxEntries", async () => {
    const store = new MemoryStore({ maxEntries: 3 });
    await store.setMany([["a", 1], ["b", 2], ["c", 3]]);
    await store.get("a"); // a is now the most recently used
    await store.set("d", 4);
    expect(await store.getMany(["a", "b", "c", "d"])).toEqual([1, undefined, 3, 4]);
    expect(store.size).toBe(3);
  });

  it("fails fast with a typed error once closed", async () => {
    const store = new MemoryStore();
    await store.close();
    await expect(store.get("k")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_UNAVAILABLE });
  });
});

describe("collections", () => {
  it("keep their entries apart in one store", async () => {
    const store = new MemoryStore();
    const a = collection(store, "a");
    const b = collection(store, "b", { ttlMs: 60_000 });
    await a.set("k", "from a");
    await b.set("k", "from b");
    expect([await a.get("k"), await b.get("k"), await store.get("a/k")]).toEqual(["from a", "from b", "from a"]);
    await a.close();
    expect(await b.get("k")).toBe("from b");
  });
});

describe("encryption at rest", () => {
  it("stores ciphertext, not the value", async () => {
    const inner = new MemoryStore();
    const store = encrypted(inner, { keys: [key()] });
    await store.set("token", { secret: "hunter2" });
    expect(JSON.stringify(await inner.get("token"))).not.toContain("hunter2");
    expect(await store.get("token")).toEqual({ secret: "hunter2" });
  });

  it("reads with old keys and writes with the new one (rotation)", async () => {
    const inner = new MemoryStore();
    const [oldKey, newKey] = [key(), key()];
    await encrypted(inner, { keys: [oldKey] }).set("k", "written with the old key");
    const rotated = encrypted(inner, { keys: [newKey, oldKey] });
    expect(await rotated.get("k")).toBe("written with the old key");
    await rotated.set("k", "rewritten");
    await expect(encrypted(inner, { keys: [oldKey] }).get("k")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    expect(await encrypted(inner, { keys: [newKey] }).get("k")).toBe("rewritten");
  });

  it("rejects a tampered value, or one moved to another key, and leaves others readable", async () => {
    const inner = new MemoryStore();
    const store = encrypted(inner, { keys: [key()] });
    await store.setMany([["a", "alpha"], ["b", "beta"]]);
    const sealed = (await inner.get<{ ct: string }>("a")) as { ct: string };
    const flipped = sealed.ct.startsWith("A") ? `B${sealed.ct.slice(1)}` : `A${sealed.ct.slice(1)}`;
    await inner.set("a", { ...sealed, ct: flipped });
    await expect(store.get("a")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    await inner.set("c", await inner.get("b"));
    await expect(store.get("c")).rejects.toMatchObject({ code: ErrorCodes.STORAGE_CORRUPT });
    expect(await store.get("b")).toBe("beta");
  });

  it("refuses at once a key that is not 32 bytes, and a store with no key", () => {
    expect(() => encrypted(new MemoryStore(), { keys: [new Uint8Array(16)] })).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID, message: expect.stringContaining("32 bytes") }));
    expect(() => encrypted(new MemoryStore(), { keys: [] })).toThrow(expect.objectContaining({ code: ErrorCodes.STORAGE_INVALID }));
  });
});
