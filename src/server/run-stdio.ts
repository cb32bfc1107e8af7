import { Console } from "node:console";
import type { Connections, ProtocolHost, ServedConnection } from "../protocol/index.js";
import { serveConnection } from "../protocol/index.js";

/**
 * Serve MCP on this process's stdin/stdout. Resolves when stdin closes.
 *
 * While serving, the global `console` writes to stderr: on stdio, stdout is
 * the protocol stream and a stray `console.log` in a handler would corrupt it
 * (the client reads one JSON-RPC message per line). The console is restored
 * when serving ends.
 */
export function runStdio(host: ProtocolHost, connections: Connections, onerror: (error: Error) => void): { done: Promise<void>; connection: ServedConnection } {
  const restoreConsole = consoleToStderr();
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve)).finally(restoreConsole);
  process.stdin.once("end", () => finish());
  process.stdin.once("close", () => finish());
  const served = serveConnection(host, connections, "stdio", undefined, onerror);
  const connection: ServedConnection = {
    close: async () => {
      try {
        await served.close();
      } finally {
        restoreConsole();
      }
    },
  };
  return { done, connection };
}

/**
 * Point every method of the global console (`log`, `info`, `debug`, `dir`,
 * `table`, `count`, `group`, `time`...: several write to stdout) at a console
 * that writes to stderr only. Returns a function that puts the originals back
 * (idempotent).
 */
function consoleToStderr(): () => void {
  const stderrConsole = new Console({ stdout: process.stderr, stderr: process.stderr });
  const target = console as unknown as Record<string, unknown>;
  const source = stderrConsole as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const key of Object.keys(target)) {
    const replacement = source[key];
    if (typeof target[key] !== "function" || typeof replacement !== "function") continue;
    originals.set(key, target[key]);
    target[key] = (replacement as (...args: unknown[]) => unknown).bind(stderrConsole);
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const [key, original] of originals) target[key] = original;
  };
}
