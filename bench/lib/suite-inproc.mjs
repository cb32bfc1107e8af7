/** In-process tool calls/s, each framework through its own in-memory client (and direct APIs). */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { alternate } from "./stats.mjs";

const worker = fileURLToPath(new URL("./inproc-worker.mjs", import.meta.url));
const adapterExists = (name) => existsSync(fileURLToPath(new URL(`../inproc/${name}.mjs`, import.meta.url)));

function measure(name, ms) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [worker, name, String(ms)], { timeout: ms * 4 + 30_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${name}: ${stderr.slice(-800) || error.message}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()).callsPerSec);
    });
  });
}

export async function inprocSuite(ctx) {
  const client = ctx.frameworks.filter(adapterExists);
  const direct = ["raw", "mcpkit-direct", "mcp-lite-direct"].filter(adapterExists);
  const ms = ctx.quick ? 300 : 1500;
  for (let round = 0; round < ctx.rounds; round++) {
    for (const fw of alternate(client, round)) {
      if (fw === "raw") continue; // raw has no client: it is the direct-dispatch limit below
      await ctx.attempt("inproc-client", fw, () => measure(fw, ms));
    }
    for (const name of alternate(direct, round)) {
      await ctx.attempt("inproc-direct", name.replace(/-direct$/, ""), () => measure(name, ms));
    }
  }
}
