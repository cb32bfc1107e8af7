import type { MessageTransport } from "./in-memory.js";
import type { JSONRPCMessage } from "./wire.js";

/** The longest line (one message) read from stdin; past it the line is dropped and reported. */
export const STDIO_MAX_LINE_BYTES = 10 * 1024 * 1024;

/** Streams the transport reads and writes (process.stdin/stdout by default; pipes in tests). */
export interface StdioStreams {
  readonly input: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean };
  readonly output: NodeJS.WritableStream;
}

/**
 * Newline-delimited JSON-RPC over a process's stdin and stdout. Compared with
 * the SDK's stdio transport it frames without copying the whole buffer per
 * chunk, checks the JSON-RPC shape structurally instead of through a schema
 * library (the protocol layer validates what it dispatches on), and writes
 * without a listener pair per message; the semantics are the same:
 * non-JSON lines are skipped, a line that is not a JSON-RPC message is
 * reported through `onerror`, stdin ending closes the transport.
 */
export class StdioTransport implements MessageTransport {
  onmessage?: ((message: JSONRPCMessage, extra?: unknown) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;

  private readonly input: StdioStreams["input"];
  private readonly output: StdioStreams["output"];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** While a line is over the limit, bytes are dropped until its newline. */
  private discarding = false;
  private started = false;
  private closed = false;

  constructor(streams: StdioStreams = { input: process.stdin, output: process.stdout }) {
    this.input = streams.input;
    this.output = streams.output;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error("StdioTransport already started");
    this.started = true;
    this.input.on("data", this.onData);
    this.input.on("error", this.onInputError);
    this.input.on("end", this.onEnd);
    this.input.on("close", this.onEnd);
    this.output.on("error", this.onOutputError);
    if (this.input.readableEnded === true || this.input.destroyed === true) setImmediate(this.onEnd);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error("stdio transport is closed"));
    const line = `${JSON.stringify(message)}\n`;
    return new Promise((resolve, reject) => {
      // The callback fires once the line is handed to the OS (or fails): a sender that awaits
      // gets backpressure without a listener pair per message.
      this.output.write(line, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off("data", this.onData);
    this.input.off("error", this.onInputError);
    this.input.off("end", this.onEnd);
    this.input.off("close", this.onEnd);
    if (this.input.listenerCount("data") === 0) this.input.pause();
    this.pending = [];
    this.pendingBytes = 0;
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    let data = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    for (;;) {
      const newline = data.indexOf(10);
      if (newline === -1) {
        this.keep(data);
        return;
      }
      const tail = data.subarray(0, newline);
      data = data.subarray(newline + 1);
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      // The rest of a line can arrive with its newline: the limit holds however the bytes were chunked.
      if (this.pendingBytes + tail.length > STDIO_MAX_LINE_BYTES) {
        this.drop();
        if (this.closed) return;
        continue;
      }
      const line = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail]);
      this.pending = [];
      this.pendingBytes = 0;
      this.deliver(line);
      if (this.closed) return;
    }
  };

  private keep(part: Buffer): void {
    if (this.discarding || part.length === 0) return;
    if (this.pendingBytes + part.length > STDIO_MAX_LINE_BYTES) {
      this.discarding = true;
      this.drop();
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  /** Forget the over-long line read so far and report it. */
  private drop(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.onerror?.(new Error(`A stdin message exceeded ${STDIO_MAX_LINE_BYTES} bytes and was dropped`));
  }

  private deliver(line: Buffer): void {
    let text = line.toString("utf8");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // not JSON: stray output from the client side, skipped like the SDK does
    }
    const problem = shapeProblem(message);
    if (problem !== undefined) {
      this.onerror?.(new Error(`Invalid JSON-RPC message on stdin: ${problem}`));
      return;
    }
    try {
      this.onmessage?.(message as JSONRPCMessage);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private readonly onInputError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onOutputError = (error: Error): void => {
    if (this.closed) return;
    this.onerror?.(error);
    void this.close();
  };

  private readonly onEnd = (): void => {
    void this.close();
  };
}

/** Why a parsed value is not a JSON-RPC 2.0 message, or undefined when it is one. */
export function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not an object";
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return "jsonrpc must be \"2.0\"";
  const id = m.id;
  // `null` only on an error answer to a message whose id could not be read.
  const idOk = id === undefined || typeof id === "string" || (typeof id === "number" && Number.isInteger(id)) || (id === null && "error" in m);
  if (!idOk) return "id must be a string or an integer";
  if (typeof m.method === "string") {
    if (m.params !== undefined && (typeof m.params !== "object" || m.params === null || Array.isArray(m.params))) return "params must be an object";
    return undefined;
  }
  if (id === undefined) return "a message needs a method or an id";
  if ("result" in m) return typeof m.result === "object" && m.result !== null && !Array.isArray(m.result) ? undefined : "result must be an object";
  if ("error" in m) {
    const e = m.error as Record<string, unknown> | null;
    return typeof e === "object" && e !== null && typeof e.code === "number" && typeof e.message === "string" ? undefined : "error needs a numeric code and a message";
  }
  return "a response needs a result or an error";
}
