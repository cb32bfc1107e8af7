import type { Outbox } from "./fast-call.js";
import type { JSONRPCMessage } from "./wire.js";

/** An HTTP request as the fast path sees it: its headers and its parsed body. */
export interface FastHttpRequest {
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The web `Request`, for a handler that reads it (built on first use). */
  webRequest(): Request;
}

/** Where the fast path writes an answer: one JSON body, or an event stream. */
export interface FastHttpReply {
  /** A whole `application/json` answer, with `headers` besides the content type and length. */
  json(status: number, body: string, headers: Readonly<Record<string, string>> | undefined): void;
  /** Start a 200 event stream with these headers. */
  stream(headers: Record<string, string>): void;
  write(text: string): void;
  end(): void;
  /** `listener` runs once if the client goes away before the answer is complete. */
  onAbort(listener: () => void): void;
}

/** How one exchange answers: JSON only, an event stream from the start, or JSON unless something is sent before the result. */
export type ExchangeMode = "json" | "sse" | "lazy";

const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** The SDK's interval for SSE keep-alive comments on a stream still waiting for its result. */
const KEEP_ALIVE_MS = 15_000;

/**
 * One request's answer on the wire, written the way the SDK's HTTP
 * transports write it: `json` drops what is sent before the result (as the
 * SDK does in JSON response mode), `sse` streams every message as an
 * `event: message` frame, `lazy` answers JSON unless a notification comes
 * first, and then switches to a stream (the modern per-request transport).
 */
export class Exchange implements Outbox {
  private streaming = false;
  private done = false;
  private keepAlive: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly reply: FastHttpReply,
    private readonly mode: ExchangeMode,
    private readonly headers: Readonly<Record<string, string>> | undefined = undefined,
  ) {
    // The SDK's SSE transports answer with the stream's headers at once, before the handler runs.
    if (mode === "sse") this.startStream();
  }

  /** A notification tied to the request (progress, log). */
  notify(message: JSONRPCMessage): void {
    if (this.done || this.mode === "json") return;
    if (!this.streaming) this.startStream();
    this.reply.write(frame(message));
  }

  /** The answer; nothing is written after it. */
  finish(message: JSONRPCMessage, status = 200): void {
    if (this.done) return;
    this.done = true;
    if (this.streaming) {
      if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
      this.reply.write(frame(message));
      this.reply.end();
      return;
    }
    this.reply.json(status, JSON.stringify(message), this.headers);
  }

  /**
   * Cancelled, or the client went away: no answer is written. An event
   * stream already open is ended (as the SDK's transports close it); a JSON
   * answer not yet begun is left to the client, as on the SDK path.
   */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    if (this.streaming) this.reply.end();
  }

  private startStream(): void {
    this.streaming = true;
    this.reply.stream({ ...SSE_HEADERS, ...this.headers });
    this.keepAlive = setInterval(() => this.reply.write(": keepalive\n\n"), KEEP_ALIVE_MS);
    (this.keepAlive as { unref?: () => void }).unref?.();
  }
}

function frame(message: JSONRPCMessage): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}
