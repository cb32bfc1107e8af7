/**
 * Test support for server processes spawned by a test: a raw line-protocol
 * peer on a child's pipes, and the cleanup that kills what a test left
 * running.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";

/** Kill every child still running (SIGKILL), wait for each to exit, and empty the set. */
export async function killAll(children: Set<ChildProcessWithoutNullStreams>): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
  }
  children.clear();
}

/** A raw line-protocol peer: send messages, collect every stdout line, await responses by id. */
export function rawPeer(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  let stderr = "";
  let buffer = "";
  const waiting = new Map<string | number, (message: Record<string, any>) => void>();
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      try {
        const message = JSON.parse(line) as Record<string, any>;
        if (message.id !== undefined) waiting.get(message.id)?.(message);
      } catch {
        // Kept in `lines`; the test asserts on it.
      }
    }
  });
  return {
    lines,
    stderr: () => stderr,
    trailing: () => buffer,
    notify(method: string, params?: Record<string, unknown>): void {
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) })}\n`);
    },
    request(id: string | number, method: string, params?: Record<string, unknown>): Promise<Record<string, any>> {
      const answer = new Promise<Record<string, any>>((resolve) => waiting.set(id, resolve));
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) })}\n`);
      return answer;
    },
  };
}
