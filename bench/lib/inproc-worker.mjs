/**
 * Child process: open one in-process adapter (bench/inproc/<name>.mjs), check
 * its answers, warm it up, then count sequential calls for `ms` milliseconds.
 * Prints one JSON line: { callsPerSec }.
 */
import { CALLS, checkResult } from "./tools.mjs";

const [name, msText] = process.argv.slice(2);
const ms = Number(msText ?? 1000);
const adapter = await import(new URL(`../inproc/${name}.mjs`, import.meta.url).href);
const target = await adapter.open({ tools: 3 });

for (let i = 0; i < CALLS.length; i++) checkResult(i, await target.call(CALLS[i].name, CALLS[i].arguments));

const run = async (budgetMs) => {
  let calls = 0;
  const start = performance.now();
  const end = start + budgetMs;
  // Check the clock every 64 calls: reading it per call would be measured too.
  for (;;) {
    for (let k = 0; k < 64; k++) {
      const c = CALLS[calls % 3];
      await target.call(c.name, c.arguments);
      calls++;
    }
    const now = performance.now();
    if (now >= end) return calls / ((now - start) / 1000);
  }
};

await run(Math.min(300, ms / 2)); // warm-up: JIT and caches
const callsPerSec = await run(ms);
await target.close();
process.stdout.write(`${JSON.stringify({ callsPerSec })}\n`);
process.exit(0);
