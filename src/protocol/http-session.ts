import type { Server, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import type { FastCall } from "./fast-call.js";

/**
 * One open 2025-era HTTP session: its SDK transport and server, when it was
 * last used, and the ids of its requests whose answer is still to come (with
 * the call when the fast path answers it). A server holds thousands of idle
 * sessions, so the table of ids is made on a session's first request.
 */
export class HttpSession {
  lastSeen = Date.now();
  private calls: Map<string, FastCall | undefined> | undefined;

  constructor(
    readonly transport: WebStandardStreamableHTTPServerTransport,
    readonly server: Server,
  ) {}

  /** Whether a request with this id key is in flight. */
  has(key: string): boolean {
    return this.calls?.has(key) ?? false;
  }

  /** The fast-path call answering the request with this id key, if it is one. */
  call(key: string): FastCall | undefined {
    return this.calls?.get(key);
  }

  start(key: string, call: FastCall | undefined): void {
    (this.calls ??= new Map()).set(key, call);
  }

  end(key: string): void {
    this.calls?.delete(key);
  }

  /** Whether any request of the session is still being answered. */
  get busy(): boolean {
    return this.calls !== undefined && this.calls.size > 0;
  }
}
