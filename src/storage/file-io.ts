/**
 * The filesystem primitives `FileStore` is built on: lock files shared by
 * processes, and atomic replacement of a file.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { ErrorCodes, McpkitError } from "../errors/index.js";

/** How long to wait for a lock and when a held lock counts as abandoned. */
export interface LockTiming {
  /** Give up (with `MCPKIT_STORAGE_UNAVAILABLE`) after waiting this long. */
  readonly timeoutMs: number;
  /** A lock older than this is abandoned whoever holds it. */
  readonly staleMs: number;
}

/** Releases a lock; safe to call once the lock has been taken over. */
export type ReleaseLock = () => Promise<void>;

interface Seen {
  readonly text: string;
  readonly ino: number;
  readonly mtimeMs: number;
}

/**
 * Take the lock file at `path`, shared by every process using the directory:
 * created with `O_EXCL` (`wx`), so exactly one creator wins. A lock whose
 * owner process is gone, or that is older than `staleMs`, is removed and the
 * wait goes on; past `timeoutMs` the wait fails with a typed error instead
 * of hanging. `what` names the key in that error.
 */
export async function acquireLock(path: string, timing: LockTiming, what: string): Promise<ReleaseLock> {
  const body = JSON.stringify({ pid: process.pid, token: randomUUID(), at: Date.now() });
  const deadline = Date.now() + timing.timeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 40)) {
    if (await tryCreate(path, body)) return () => release(path, body);
    const retryNow = await breakIfStale(path, timing.staleMs);
    // Checked even when retrying at once, so a lock that keeps changing hands cannot hold a caller forever.
    if (Date.now() >= deadline) {
      throw new McpkitError(
        ErrorCodes.STORAGE_UNAVAILABLE,
        `Timed out after ${timing.timeoutMs} ms waiting for the lock on ${what} (${ownerOf(await inspect(path))})`,
      );
    }
    if (retryNow) continue;
    // Jitter, so processes that collided once do not keep colliding in step.
    await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
  }
}

async function tryCreate(path: string, body: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx", 0o600);
  } catch (error) {
    if (codeOf(error) === "EEXIST") return false;
    throw unavailable(`cannot create the lock file ${path}`, error);
  }
  try {
    await handle.writeFile(body);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw unavailable(`cannot write the lock file ${path}`, error);
  }
  await handle.close();
  return true;
}

async function release(path: string, body: string): Promise<void> {
  // Only remove the lock if it is still ours: if it was judged stale and
  // taken over, the file now belongs to another process.
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === body) await unlink(path).catch(() => undefined);
}

/**
 * Remove the lock at `path` if it is abandoned; whether the caller should
 * retry at once. Breakers are serialised by a guard file and re-check the
 * lock under it, so two processes that both saw the same stale lock never
 * delete the fresh lock one of them then created.
 */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  const seen = await inspect(path);
  if (seen === undefined) return true;
  if (!isStale(seen, staleMs)) return false;
  const guard = `${path}.guard`;
  if (!(await tryCreate(guard, ""))) {
    // A guard is held for a few microseconds; an old one was left by a crash.
    const old = await inspect(guard);
    if (old !== undefined && Date.now() - old.mtimeMs > staleMs) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const again = await inspect(path);
    if (again !== undefined && again.ino === seen.ino && again.mtimeMs === seen.mtimeMs && again.text === seen.text) {
      await unlink(path).catch(() => undefined);
    }
  } finally {
    await unlink(guard).catch(() => undefined);
  }
  return true;
}

function isStale(seen: Seen, staleMs: number): boolean {
  if (Date.now() - seen.mtimeMs > staleMs) return true;
  // A lock whose content is not yet written is being created right now: not stale.
  const pid = pidOf(seen.text);
  return pid !== undefined && pid !== process.pid && !alive(pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return codeOf(error) === "EPERM";
  }
}

async function inspect(path: string): Promise<Seen | undefined> {
  try {
    const info = await stat(path);
    const text = await readFile(path, "utf8");
    return { text, ino: info.ino, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    throw unavailable(`cannot read the lock file ${path}`, error);
  }
}

function pidOf(text: string): number | undefined {
  try {
    const pid = (JSON.parse(text) as { pid?: unknown }).pid;
    return typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function ownerOf(seen: Seen | undefined): string {
  const pid = seen === undefined ? undefined : pidOf(seen.text);
  return pid === undefined ? "owner unknown" : `held by process ${pid}`;
}

/**
 * Replace `directory/name` with `body` atomically: written to a temporary
 * file in the same directory (so the rename cannot cross filesystems),
 * optionally flushed, then renamed over it. Readers see the old content or
 * the new, never part of either, even after a crash. `what` names the entry
 * in errors.
 */
export async function replaceFile(directory: string, name: string, body: string, fsync: boolean, what: string): Promise<void> {
  // A name that no reader looks for, so one left behind by a crash is ignored.
  const temp = join(directory, `${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(body);
      // Flushed before the rename: otherwise a crash could leave the new name pointing at empty data.
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(directory, name));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw unavailable(`cannot write ${what}`, error);
  }
  if (fsync) await syncDirectory(directory);
}

/** Make a rename durable. Some platforms (Windows) cannot open a directory; the file itself is flushed already. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r").catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Not supported for directories on this platform.
  } finally {
    await handle.close();
  }
}

/** The `code` of a Node.js system error, if any. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A backend failure (disk, permissions) as a typed storage error. */
export function unavailable(what: string, cause: unknown): McpkitError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new McpkitError(ErrorCodes.STORAGE_UNAVAILABLE, `File store: ${what}: ${detail}`, { cause });
}
