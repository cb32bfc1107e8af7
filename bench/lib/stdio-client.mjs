/**
 * A minimal newline-delimited JSON-RPC client over a child's stdio: no MCP
 * library, so the client side costs the same for every server measured.
 */
import { spawn } from "node:child_process";
import { initialize, initialized } from "./protocol.mjs";

export class StdioClient {
  /** Spawn `node <args>` and wait for nothing; call `handshake()` next. */
  constructor(args, { env = process.env, nodeArgs = [] } = {}) {
    this.child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
    this.pending = new Map();
    this.nextId = 1;
    this.stderr = "";
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
    let buffer = "";
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() === "") continue;
        let message;
        try {
          message = JSON.parse(line);
        } catch {
          continue; // not protocol output; a correct server never writes it, the check in handshake() catches it
        }
        const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
        if (waiter !== undefined) {
          this.pending.delete(message.id);
          waiter(message);
        }
      }
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk) => {
      if (this.stderr.length < 20_000) this.stderr += chunk;
    });
    void this.exited.then(({ code, signal }) => {
      const error = new Error(`server exited (code ${code}, signal ${signal}): ${this.stderr.slice(-2000)}`);
      for (const waiter of this.pending.values()) waiter({ error: { message: error.message } });
      this.pending.clear();
    });
  }

  /** Send one request and resolve with its response. */
  send(message) {
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Send a request with a fresh id built by `make(id)`. */
  request(make) {
    return this.send(make(this.nextId++));
  }

  notify(message) {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** The 2025-11-25 handshake. */
  async handshake() {
    const answer = await this.send(initialize(0));
    if (answer.result === undefined) throw new Error(`initialize failed: ${JSON.stringify(answer).slice(0, 500)}`);
    this.notify(initialized);
    return answer.result;
  }

  async close() {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
    await this.exited;
    clearTimeout(timer);
  }

  get pid() {
    return this.child.pid;
  }
}
