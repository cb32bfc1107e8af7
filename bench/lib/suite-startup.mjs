/** Cold start (spawn → first tools/list answer over stdio) and module import time. */
import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { serverScript, Unsupported } from "./servers.mjs";
import { alternate } from "./stats.mjs";
import { initialize, initialized, request } from "./protocol.mjs";

/** Spawn a stdio server, write the handshake and tools/list at once, time the tools/list answer. */
function coldStart(fw) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [serverScript(fw), "stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const lines = [initialize(0), initialized, request(1, "tools/list")].map((m) => JSON.stringify(m)).join("\n");
    child.stdin.write(`${lines}\n`);
    let out = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no tools/list answer in 20 s: ${stderr.slice(-500)}`));
    }, 20_000);
    child.stderr.on("data", (c) => (stderr += c));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      for (const line of out.split("\n")) {
        if (!line.includes('"id":1')) continue;
        try {
          const message = JSON.parse(line);
          if (message.id === 1 && Array.isArray(message.result?.tools)) {
            const elapsed = performance.now() - start;
            clearTimeout(timer);
            child.stdin.end();
            child.kill("SIGKILL");
            resolve(elapsed);
            return;
          }
        } catch {
          // partial line
        }
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 3 || /UNSUPPORTED/.test(stderr)) reject(new Unsupported(stderr.trim().split("\n").pop() ?? "stdio unsupported"));
      else reject(new Error(`exited (${code}) before answering tools/list: ${stderr.slice(-500)}`));
    });
  });
}

const importProbe = fileURLToPath(new URL("./import-time.mjs", import.meta.url));

function importTime(fw) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [importProbe, serverScript(fw)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(stderr.slice(-500) || error.message));
      resolve(Number(stdout.trim()));
    });
  });
}

export async function startupSuite(ctx) {
  const frameworks = ["raw", "raw-zod", ...ctx.frameworks.filter((f) => f !== "raw")];
  // The start-up figures are the noisiest (±20-30% a spawn on a shared machine): at least 20 samples each.
  const repeats = ctx.quick ? 2 : Math.max(ctx.rounds, 20);
  for (let round = 0; round < repeats; round++) {
    for (const fw of alternate(frameworks, round)) {
      await ctx.attempt("cold-start", fw, () => coldStart(fw));
      await ctx.attempt("import", fw, () => importTime(fw));
    }
  }
}
