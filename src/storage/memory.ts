import { ErrorCodes, McpkitError } from "../errors/index.js";
import { checkKey, checkTtl, decode, encode, type KeyValueStore, type SetOptions } from "./store.js";

interface Entry {
  readonly text: string;
  readonly expiresAt: number | undefined;
}

/** Options for {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** The most entries kept; past it the least recently used go first. Default 10 000. */
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * The default store: this process's memory, bounded (least recently used
 * entries are evicted past `maxEntries`), values copied in and out as JSON so
 * callers never share objects with it. Gone when the process exits.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max < 1) throw new McpkitError(ErrorCodes.STORAGE_INVALID, `maxEntries must be a positive integer, got ${String(max)}`);
    this.maxEntries = max;
    this.now = options.now ?? Date.now;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const text = this.read(checkKey(key));
    return text === undefined ? undefined : decode<T>(key, text);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    this.write(checkKey(key), encode(key, value), checkTtl(options.ttlMs));
  }

  async delete(key: string): Promise<boolean> {
    this.open();
    const live = this.read(checkKey(key)) !== undefined;
    this.entries.delete(key);
    return live;
  }

  async has(key: string): Promise<boolean> {
    return this.read(checkKey(key)) !== undefined;
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return Promise.all(keys.map((k) => this.get<T>(k)));
  }

  async setMany(entries: readonly (readonly [string, unknown])[], options: SetOptions = {}): Promise<void> {
    const ttl = checkTtl(options.ttlMs);
    // Validate everything first: a bad entry must not leave half the batch written.
    const encoded = entries.map(([key, value]) => [checkKey(key), encode(key, value)] as const);
    for (const [key, text] of encoded) this.write(key, text, ttl);
  }

  async *keys(prefix = ""): AsyncIterable<string> {
    this.open();
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.read(key) !== undefined) yield key;
    }
  }

  async compareAndSet(key: string, expected: unknown, next: unknown, options: SetOptions = {}): Promise<boolean> {
    const current = this.read(checkKey(key));
    const ttl = checkTtl(options.ttlMs);
    const nextText = encode(key, next);
    const expectedText = expected === undefined ? undefined : encode(key, expected);
    // JavaScript runs this between awaits without interleaving: the check and the write are atomic.
    if (current !== expectedText) return false;
    this.write(key, nextText, ttl);
    return true;
  }

  async increment(key: string, by = 1, options: SetOptions = {}): Promise<number> {
    if (typeof by !== "number" || !Number.isFinite(by)) throw new McpkitError(ErrorCodes.STORAGE_INVALID, `increment needs a finite number, got ${String(by)}`);
    const entry = this.live(checkKey(key));
    const current = entry === undefined ? 0 : decode<unknown>(key, entry.text);
    if (typeof current !== "number") throw new McpkitError(ErrorCodes.STORAGE_INVALID, `'${key}' holds a ${typeof current}, not a number`);
    const value = current + by;
    // An existing counter keeps its expiry; a new one takes the TTL.
    this.put(key, { text: JSON.stringify(value), expiresAt: entry === undefined ? this.expiry(checkTtl(options.ttlMs)) : entry.expiresAt });
    return value;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
  }

  /** Entries currently held (expired ones not yet swept included). */
  get size(): number {
    return this.entries.size;
  }

  private read(key: string): string | undefined {
    return this.live(key)?.text;
  }

  private live(key: string): Entry | undefined {
    this.open();
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Touch: most recently used last, so eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  private write(key: string, text: string, ttlMs: number | undefined): void {
    this.open();
    this.put(key, { text, expiresAt: this.expiry(ttlMs) });
  }

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  private expiry(ttlMs: number | undefined): number | undefined {
    return ttlMs === undefined ? undefined : this.now() + ttlMs;
  }

  private open(): void {
    if (this.closed) throw new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, "The memory store is closed");
  }
}
