import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { acquireLock, codeOf, replaceFile, unavailable, type LockTiming } from "./file-io.js";
import { checkKey, checkTtl, encode, type KeyValueStore, type SetOptions } from "./store.js";

/** Options for {@link FileStore}. */
export interface FileStoreOptions {
  /** The directory holding the entries; created (mode 0700) if missing. */
  directory: string;
  /** How long a write waits for another process's lock on the same key before failing with `MCPKIT_STORAGE_UNAVAILABLE`. Default 5 000 ms. */
  lockTimeoutMs?: number;
  /**
   * A lock older than this is treated as abandoned even if its process still
   * runs (a lock is held for one read and one write). Default 10 000 ms.
   */
  staleLockMs?: number;
  /** Flush each write to disk (file and directory) before reporting it done. Default true. */
  fsync?: boolean;
}

/** What an entry file holds. */
interface FileRecord {
  readonly v: 1;
  readonly key: string;
  readonly expiresAt: number | null;
  readonly value: unknown;
}

/** A parsed entry and its value as canonical JSON text, for comparisons. */
interface Live {
  readonly record: FileRecord;
  readonly text: string;
}

const ENTRY = /^[0-9a-f]{64}\.json$/;

/**
 * A store kept in a directory, one JSON file per key, that survives restarts
 * and can be shared by several processes on one machine.
 *
 * - File names are the SHA-256 of the key, so no key (`..`, `/`, Unicode,
 *   4 KB) can name a path outside the directory; each file also records its
 *   key, which is how `keys()` lists them.
 * - Writes go to a temporary file in the same directory, are flushed, then
 *   renamed over the entry: a reader sees the old value or the new one, never
 *   part of one, even after a crash.
 * - Every write of a key holds that key's lock file (created with `O_EXCL`),
 *   so `compareAndSet` and `increment` are atomic across processes. A lock
 *   left by a dead process, or older than `staleLockMs`, is recovered; a lock
 *   held longer than `lockTimeoutMs` fails the write with a typed error.
 * - A damaged file is `MCPKIT_STORAGE_CORRUPT` for its key only (`set` and
 *   `delete` still replace or remove it); `keys()` skips it.
 * - Expired entries are never returned; a read that meets one removes it.
 *
 * Not for network filesystems unless their `rename` and `O_EXCL` are atomic.
 *
 * @example
 * ```ts
 * const store = new FileStore({ directory: "./.data/store" });
 * ```
 */
export class FileStore implements KeyValueStore {
  private readonly directory: string;
  private readonly timing: LockTiming;
  private readonly fsync: boolean;
  private ready: Promise<void> | undefined;
  /** Per-key queues: operations of this process wait here, so only one at a time contends for the lock file. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(options: FileStoreOptions) {
    if (typeof options?.directory !== "string" || options.directory === "") {
      throw new McpkitError(ErrorCodes.STORAGE_INVALID, "FileStore needs a directory");
    }
    this.directory = resolve(options.directory);
    this.timing = { timeoutMs: positive("lockTimeoutMs", options.lockTimeoutMs, 5_000), staleMs: positive("staleLockMs", options.staleLockMs, 10_000) };
    this.fsync = options.fsync ?? true;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.live(checkKey(key)))?.record.value as T | undefined;
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    const text = encode(checkKey(key), value);
    const ttl = checkTtl(options.ttlMs);
    await this.exclusive(key, () => this.write(key, text, expiry(ttl)));
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    return this.exclusive(key, async () => {
      // A damaged entry is removed too, and counts as having been there.
      const existed = await this.live(key).then((l) => l !== undefined, () => true);
      await this.remove(key);
      return existed;
    });
  }

  async has(key: string): Promise<boolean> {
    return (await this.live(checkKey(key))) !== undefined;
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return Promise.all(keys.map((k) => this.get<T>(k)));
  }

  async setMany(entries: readonly (readonly [string, unknown])[], options: SetOptions = {}): Promise<void> {
    const ttl = checkTtl(options.ttlMs);
    // Validate everything first: a bad entry must not leave half the batch written.
    const encoded = entries.map(([key, value]) => [checkKey(key), encode(key, value)] as const);
    await Promise.all(encoded.map(([key, text]) => this.exclusive(key, () => this.write(key, text, expiry(ttl)))));
  }

  async *keys(prefix = ""): AsyncIterable<string> {
    await this.prepare();
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      throw unavailable(`cannot list ${this.directory}`, error);
    }
    for (const name of names) {
      if (!ENTRY.test(name)) continue; // temporary, lock and foreign files
      const record = await this.readRecord(name).catch(() => undefined);
      // Skipped: damaged, vanished, expired, or not at the name its key hashes to.
      if (record === undefined || isExpired(record) || fileName(record.key) !== name) continue;
      if (record.key.startsWith(prefix)) yield record.key;
    }
  }

  async compareAndSet(key: string, expected: unknown, next: unknown, options: SetOptions = {}): Promise<boolean> {
    const nextText = encode(checkKey(key), next);
    const ttl = checkTtl(options.ttlMs);
    const expectedText = expected === undefined ? undefined : encode(key, expected);
    return this.exclusive(key, async () => {
      if ((await this.live(key))?.text !== expectedText) return false;
      await this.write(key, nextText, expiry(ttl));
      return true;
    });
  }

  async increment(key: string, by = 1, options: SetOptions = {}): Promise<number> {
    if (typeof by !== "number" || !Number.isFinite(by)) throw new McpkitError(ErrorCodes.STORAGE_INVALID, `increment needs a finite number, got ${String(by)}`);
    checkKey(key);
    const ttl = checkTtl(options.ttlMs);
    return this.exclusive(key, async () => {
      const entry = await this.live(key);
      const current = entry === undefined ? 0 : entry.record.value;
      if (typeof current !== "number") throw new McpkitError(ErrorCodes.STORAGE_INVALID, `'${key}' holds a ${typeof current}, not a number`);
      const value = current + by;
      // An existing counter keeps its expiry; a new one takes the TTL.
      await this.write(key, JSON.stringify(value), entry === undefined ? expiry(ttl) : entry.record.expiresAt);
      return value;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Create the directory once; every operation starts here, so a closed store fails first. */
  private async prepare(): Promise<void> {
    if (this.closed) throw new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, "The file store is closed");
    this.ready ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined; // a later call may succeed (the disk came back)
        throw unavailable(`cannot create ${this.directory}`, error);
      },
    );
    await this.ready;
  }

  /** Run `task` holding the key's lock: queued behind this process's other operations on the key, then the lock file. */
  private async exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    await this.prepare();
    const name = fileName(key);
    const previous = this.queues.get(name) ?? Promise.resolve();
    const run = previous.then(async () => {
      const release = await acquireLock(join(this.directory, `${name}.lock`), this.timing, `'${key}'`);
      try {
        return await task();
      } finally {
        await release();
      }
    });
    const settled = run.catch(() => undefined);
    this.queues.set(name, settled);
    try {
      return await run;
    } finally {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    }
  }

  /** The live entry for `key`, removing it if expired; corruption is an error for this key. */
  private async live(key: string): Promise<Live | undefined> {
    await this.prepare();
    const name = fileName(key);
    const record = await this.readRecord(name).catch((error: unknown) => {
      if (codeOf(error) === "ENOENT") return undefined;
      if (error instanceof McpkitError) throw new McpkitError(error.code, `The stored value for '${key}' is corrupted (${error.message})`, { cause: error });
      throw unavailable(`cannot read '${key}'`, error);
    });
    if (record === undefined) return undefined;
    if (record.key !== key) throw new McpkitError(ErrorCodes.STORAGE_CORRUPT, `The stored value for '${key}' is corrupted (its file holds another key)`);
    if (isExpired(record)) {
      await this.sweep(key, name);
      return undefined;
    }
    return { record, text: JSON.stringify(record.value) };
  }

  /**
   * Remove an expired entry, but only if no other operation on the key is
   * under way here and no other process holds its lock: a write racing the
   * removal must win, and a read must never wait for one.
   */
  private async sweep(key: string, name: string): Promise<void> {
    if (this.queues.has(name)) return;
    try {
      const release = await acquireLock(join(this.directory, `${name}.lock`), { timeoutMs: 0, staleMs: this.timing.staleMs }, `'${key}'`);
      try {
        const record = await this.readRecord(name).catch(() => undefined);
        if (record !== undefined && isExpired(record)) await this.remove(key);
      } finally {
        await release();
      }
    } catch {
      // Lazy removal is best effort: the entry is ignored either way.
    }
  }

  private async readRecord(name: string): Promise<FileRecord> {
    const text = await readFile(join(this.directory, name), "utf8");
    let parsed: Partial<FileRecord> | null;
    try {
      parsed = JSON.parse(text) as Partial<FileRecord> | null;
    } catch {
      throw new McpkitError(ErrorCodes.STORAGE_CORRUPT, "not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || parsed.v !== 1 || typeof parsed.key !== "string" || !("value" in parsed)) {
      throw new McpkitError(ErrorCodes.STORAGE_CORRUPT, "not an entry record");
    }
    if (parsed.expiresAt !== null && typeof parsed.expiresAt !== "number") throw new McpkitError(ErrorCodes.STORAGE_CORRUPT, "bad expiry");
    return parsed as FileRecord;
  }

  /** Replace the entry atomically. Call holding the key's lock. */
  private async write(key: string, valueText: string, expiresAt: number | null): Promise<void> {
    const body = `{"v":1,"key":${JSON.stringify(key)},"expiresAt":${expiresAt === null ? "null" : String(expiresAt)},"value":${valueText}}`;
    await replaceFile(this.directory, fileName(key), body, this.fsync, `'${key}'`);
  }

  private async remove(key: string): Promise<void> {
    try {
      await unlink(join(this.directory, fileName(key)));
    } catch (error) {
      if (codeOf(error) !== "ENOENT") throw unavailable(`cannot delete '${key}'`, error);
    }
  }
}

/** A key's file name: a hash, so no key can name a path outside the directory or exceed file-name limits. */
function fileName(key: string): string {
  return `${createHash("sha256").update(key, "utf8").digest("hex")}.json`;
}

function expiry(ttlMs: number | undefined): number | null {
  return ttlMs === undefined ? null : Date.now() + ttlMs;
}

function isExpired(record: FileRecord): boolean {
  return record.expiresAt !== null && record.expiresAt <= Date.now();
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new McpkitError(ErrorCodes.STORAGE_INVALID, `${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}
