/**
 * Preloaded into a server under measurement (node --expose-gc --import):
 * on SIGUSR2 it runs a full GC and writes the process's memory to
 * $BENCH_MEM_OUT, so the harness reads retained memory, not garbage.
 */
import { writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";

process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  const status = readFileSync("/proc/self/status", "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  writeFileSync(`${process.env.BENCH_MEM_OUT ?? `${tmpdir()}/mcpkit-bench-mem`}.${process.pid}`, JSON.stringify({ heapUsed: m.heapUsed, external: m.external, rss: rssKb * 1024 }));
});
