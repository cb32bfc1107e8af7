/** Start the benchmark servers (bench/servers/<fw>.mjs) as child processes. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { StdioClient } from "./stdio-client.mjs";

export const serverScript = (fw) => fileURLToPath(new URL(`../servers/${fw}.mjs`, import.meta.url));
export const GC_HOOK = fileURLToPath(new URL("./gc-hook.mjs", import.meta.url));

/** Node flags that let the harness ask a server for its memory after a full GC. */
export const memoryFlags = ["--expose-gc", "--import", GC_HOOK];

/** A stdio server, handshaken (2025-11-25). */
export async function startStdio(fw, { tools = 3, nodeArgs = [] } = {}) {
  const client = new StdioClient([serverScript(fw), "stdio", "--tools", String(tools)], { nodeArgs });
  try {
    await client.handshake();
  } catch (error) {
    await client.close();
    const { code } = await client.exited;
    if (code === 3 || /UNSUPPORTED/.test(client.stderr)) throw new Unsupported(client.stderr.trim().split("\n").pop() ?? "stdio unsupported");
    throw error;
  }
  return client;
}

/** Thrown when a framework cannot serve a mode; reported as n/a. */
export class Unsupported extends Error {}

/**
 * An HTTP server in `mode` ("modern" | "stateless" | "sessions") on a free
 * port. Resolves { url, pid, stop() } once it prints `READY <port>`.
 */
export function startHttp(fw, mode, { tools = 3, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, serverScript(fw), "http", "--port", "0", "--mode", mode, "--tools", String(tools)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c) => {
    if (stderr.length < 20_000) stderr += c;
  });
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${fw} (${mode}) did not print READY within 15 s: ${stderr.slice(-1000)}`));
    }, 15_000);
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${match[1]}/mcp`, pid: child.pid, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (code === 3 || /UNSUPPORTED/.test(stderr)) reject(new Unsupported(stderr.trim().split("\n").pop() ?? `${mode} unsupported`));
      else reject(new Error(`${fw} (${mode}) exited with ${code} before READY: ${stderr.slice(-1000)}`));
    });
  });
}
