/**
 * The loopback end of an interactive OAuth login (RFC 8252 §7.3): a one-shot
 * HTTP listener on 127.0.0.1 that receives the authorization server's
 * redirect, and a best-effort "open the browser". Node only: `node:http` and
 * `node:child_process` are imported when used, so this file is safe to load
 * on other runtimes.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { ErrorCodes, McpkitError } from "../errors/index.js";

/** Options for {@link startCallbackServer}. */
export interface CallbackServerOptions {
  /** The port to listen on. Default 0: the system picks a free one (RFC 8252 allows any loopback port). */
  port?: number;
  /** The path of the redirect URI. Default `/callback`. */
  path?: string;
  /** The loopback address to bind. Default `127.0.0.1` (never a public interface). */
  host?: "127.0.0.1" | "::1" | "localhost";
}

/** A running loopback listener for one authorization redirect. */
export interface CallbackServer {
  /** The redirect URI to register and send, e.g. `http://127.0.0.1:53682/callback`. */
  readonly redirectUrl: string;
  /**
   * Wait for the authorization server's redirect and answer the browser.
   * Resolves with the callback's query parameters (`code`, `state`, `iss`...);
   * rejects on timeout or when the server closes first.
   */
  waitForCallback(timeoutMs?: number): Promise<URLSearchParams>;
  /** Stop listening. Safe to call twice. */
  close(): Promise<void>;
}

const DONE_PAGE = `<!doctype html><meta charset="utf-8"><title>Authorization complete</title>
<body style="font-family:system-ui;margin:3rem"><h1>Authorization complete</h1><p>You can close this window and return to the application.</p></body>`;
const FAILED_PAGE = `<!doctype html><meta charset="utf-8"><title>Authorization failed</title>
<body style="font-family:system-ui;margin:3rem"><h1>Authorization failed</h1><p>Return to the application for details.</p></body>`;

/**
 * Start a loopback listener for an OAuth redirect, on a dynamic port by
 * default so concurrent logins never collide.
 *
 * @example
 * ```ts
 * const server = await startCallbackServer();
 * console.log(server.redirectUrl); // http://127.0.0.1:53682/callback
 * const params = await server.waitForCallback(300_000);
 * await server.close();
 * ```
 */
export async function startCallbackServer(options: CallbackServerOptions = {}): Promise<CallbackServer> {
  const { createServer } = await import("node:http");
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/callback";
  let settle: { resolve(params: URLSearchParams): void; reject(error: Error): void } | undefined;
  let received: URLSearchParams | undefined;
  let closed = false;

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://loopback");
    if (request.method !== "GET" || url.pathname !== path || received !== undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    received = url.searchParams;
    const failed = received.has("error") || !received.has("code");
    response.writeHead(failed ? 400 : 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(failed ? FAILED_PAGE : DONE_PAGE);
    settle?.resolve(received);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port ?? 0;
  const hostInUrl = host === "::1" ? "[::1]" : host;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    settle?.reject(new McpkitError(ErrorCodes.AUTH_FAILED, "The OAuth callback server closed before the authorization server redirected back"));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return {
    redirectUrl: `http://${hostInUrl}:${port}${path}`,
    waitForCallback(timeoutMs = 300_000) {
      if (received !== undefined) return Promise.resolve(received);
      if (closed) return Promise.reject(new McpkitError(ErrorCodes.AUTH_FAILED, "The OAuth callback server is closed"));
      return new Promise<URLSearchParams>((resolve, reject) => {
        const timer = setTimeout(() => {
          settle = undefined;
          reject(new McpkitError(ErrorCodes.AUTH_FAILED, `No OAuth callback within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        settle = {
          resolve: (params) => {
            clearTimeout(timer);
            settle = undefined;
            resolve(params);
          },
          reject: (error) => {
            clearTimeout(timer);
            settle = undefined;
            reject(error);
          },
        };
      });
    },
    close,
  };
}

/**
 * Open a URL in the system browser, best effort: `open` on macOS, `start` on
 * Windows, `xdg-open` elsewhere. Resolves `false` when no browser could be
 * started (the caller should print the URL instead).
 */
export async function openBrowser(url: string): Promise<boolean> {
  try {
    const { spawn } = await import("node:child_process");
    const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
    const [command, args] =
      platform === "darwin" ? ["open", [url]] : platform === "win32" ? ["cmd", ["/c", "start", '""', url.replaceAll("&", "^&")]] : ["xdg-open", [url]];
    return await new Promise<boolean>((resolve) => {
      const child = spawn(command, args as string[], { stdio: "ignore", detached: true });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    });
  } catch {
    return false;
  }
}
