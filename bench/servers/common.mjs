/**
 * What every benchmark server shares: the command line, the names and texts of
 * the tools, and the small bits of process plumbing (READY line, UNSUPPORTED
 * exit, stderr-only logging). No MCP code lives here: each server registers
 * its tools the way its own framework documents.
 *
 *   node bench/servers/<fw>.mjs stdio [--tools N]
 *   node bench/servers/<fw>.mjs http --port P [--mode modern|stateless|sessions] [--tools N]
 */
import { createServer } from "node:net";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const MODES = ["modern", "stateless", "sessions"];

/** The parsed command line: { transport, port, mode, tools }. */
export function cli(argv = process.argv.slice(2)) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string", default: "0" },
      mode: { type: "string", default: "modern" },
      tools: { type: "string", default: "3" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const transport = positionals[0] ?? "stdio";
  if (transport !== "stdio" && transport !== "http") fatal(`unknown transport '${transport}' (stdio | http)`);
  if (!MODES.includes(values.mode)) fatal(`unknown --mode '${values.mode}' (${MODES.join(" | ")})`);
  const tools = Number(values.tools);
  const port = Number(values.port);
  if (!Number.isInteger(tools) || tools < 3) fatal(`--tools must be an integer >= 3`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`--port must be a port number`);
  return { transport, port, mode: values.mode, tools, host: values.host };
}

/** True when `moduleUrl` (a server's import.meta.url) is the script node was started with. */
export function isMain(moduleUrl) {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** The one line the harness waits for in http mode. Nothing else goes to stdout. */
export function ready(port) {
  process.stdout.write(`READY ${port}\n`);
}

/** This framework cannot serve `mode`: say why on stderr and exit 3 (the harness reports n/a). */
export function unsupported(mode, reason) {
  process.stderr.write(`UNSUPPORTED ${mode}: ${reason}\n`);
  process.exit(3);
}

export function fatal(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Diagnostics, to stderr, only when BENCH_LOG is set: off by default so they cost nothing. */
export const LOG = Boolean(process.env.BENCH_LOG);
export function log(...args) {
  if (LOG) process.stderr.write(`${args.map((a) => (typeof a === "string" ? a : (a?.stack ?? JSON.stringify(a)))).join(" ")}\n`);
}

/** A free TCP port on `host`, for frameworks that cannot report the port they bound to when given 0. */
export function freePort(host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Stop cleanly on SIGTERM/SIGINT (the harness sends SIGTERM): run `stop`, then exit 0. */
export function onShutdown(stop) {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    Promise.resolve()
      .then(stop)
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", handler);
  process.once("SIGINT", handler);
}

// The tools. Names, descriptions and answers are the same for every framework.

export const SERVER_INFO = { name: "bench", version: "1.0.0" };

export const DESCRIPTIONS = {
  add: "Add two numbers and return the sum as text.",
  echo: "Return the given text unchanged.",
  calc: "Sum and product of two numbers, as structured output.",
};

/** Filler tools for tools/list with N tools: tool_3 ... tool_{N-1}. */
export function fillerNames(total) {
  const names = [];
  for (let i = 3; i < total; i++) names.push(`tool_${i}`);
  return names;
}

export function fillerDescription(name) {
  return `Filler tool ${name}: looks up a record by id, optionally limited to count items and filtered by tags.`;
}

/** On SIGTERM/SIGINT, stop a Node HTTP server: no new connections, idle keep-alive sockets closed. */
export function closeOnShutdown(server) {
  onShutdown(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  );
}
