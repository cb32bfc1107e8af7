/** Ask a server started with the gc hook for its memory after a full GC. */
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MEM_OUT = join(tmpdir(), `mcpkit-bench-mem-${process.pid}`);

export async function probe(pid) {
  const file = `${MEM_OUT}.${pid}`;
  await rm(file, { force: true });
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 25));
    try {
      const data = JSON.parse(await readFile(file, "utf8"));
      await rm(file, { force: true });
      return data;
    } catch {
      // not written yet
    }
  }
  throw new Error(`no memory report from pid ${pid}`);
}

/** Resident set size of any process, from /proc. */
export async function rssOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) * 1024;
}
