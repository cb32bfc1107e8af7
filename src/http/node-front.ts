import type { IncomingMessage, ServerResponse } from "node:http";
import {
  hostHeaderAllowed,
  originHeaderAllowed,
  WireErrorCodes,
  type FastHttpReply,
  type FastHttpRequest,
  type HttpServing,
} from "../protocol/index.js";
import type { AppSettings, CustomRoute } from "./app.js";
import { exceedsJsonDepth } from "./limits.js";
import { mediaType, refusalBody, Refusals, type Refusal } from "./refusals.js";
import { writeWebResponse } from "./web-response.js";

/** Takes a Node request and returns true, or returns false (having read nothing) to leave it to the hono app. */
export type NodeFront = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * The MCP endpoint's POSTs served from `node:http` directly: the same checks
 * as the hono app, in the same order and with the same answers (Host and
 * Origin, content type, body size before reading it whole, JSON depth before
 * parsing), then the fast path of the MCP endpoint, and for everything it
 * does not answer, the endpoint's web-standard `handle` with a `Request`
 * built from what was read. GETs, DELETEs, other routes, and browser
 * requests when CORS is configured go to the hono app untouched.
 */
export function createNodeFront(settings: AppSettings, serving: HttpServing, routes: readonly CustomRoute[]): NodeFront {
  // A custom route on the endpoint's own POST wins in the hono app; leave it there.
  const shadowed = routes.some((r) => r.method.toUpperCase() === "POST" && r.path === settings.path);
  if (shadowed) return () => false;
  return (request, response) => {
    if (request.method !== "POST") return false;
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    if ((query === -1 ? url : url.slice(0, query)) !== settings.path) return false;
    const origin = header(request, "origin");
    if (settings.cors !== undefined && origin !== undefined) return false;
    const hosts = settings.allowedHosts;
    if (hosts !== undefined) {
      if (!hostHeaderAllowed(header(request, "host"), hosts)) return refuse(response, Refusals.host);
      if (!originHeaderAllowed(origin, settings.allowedOrigins, hosts)) return refuse(response, Refusals.origin);
    }
    if (mediaType(header(request, "content-type")) !== "application/json") return refuse(response, Refusals.mediaType);
    const declared = header(request, "content-length");
    if (declared !== undefined && Number(declared) > settings.maxBodyBytes) return tooLarge(response, settings.maxBodyBytes);
    readBody(request, settings.maxBodyBytes, (text) => {
      if (text === undefined) return void tooLarge(response, settings.maxBodyBytes);
      if (exceedsJsonDepth(text, settings.maxJsonDepth)) return void refuse(response, Refusals.tooDeep(settings.maxJsonDepth));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return void refuse(response, Refusals.notJson);
      }
      const fastRequest = nodeRequest(request, response, text);
      if (serving.offer(parsed, fastRequest, nodeReply(response))) return;
      void slowPath(serving, fastRequest.webRequest(), parsed, response);
    });
    return true;
  };
}

/** The endpoint's web-standard path, for what the fast path does not answer. */
async function slowPath(serving: HttpServing, request: Request, parsed: unknown, response: ServerResponse): Promise<void> {
  try {
    await writeWebResponse(response, await serving.handle(request, parsed));
  } catch {
    if (!response.headersSent) refuse(response, { status: 500, code: WireErrorCodes.InternalError, message: "Internal error" });
    else response.destroy();
  }
}

/** Read the body as UTF-8 text, or `undefined` as soon as it passes `maxBytes` (the rest is never held). */
function readBody(request: IncomingMessage, maxBytes: number, done: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  request.on("data", (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > maxBytes) {
      over = true;
      chunks.length = 0;
      done(undefined);
      return;
    }
    chunks.push(chunk);
  });
  request.on("end", () => {
    if (over) return;
    const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString("utf8");
    // TextDecoder, which the web path reads with, drops a leading byte-order mark.
    done(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  });
  request.on("error", () => undefined);
}

function nodeRequest(request: IncomingMessage, response: ServerResponse, body: string): FastHttpRequest {
  return {
    header: (name) => header(request, name),
    webRequest() {
      // Aborted when the client goes away before the answer is written, as the hono adapter does.
      const controller = new AbortController();
      const signal = controller.signal;
      response.once("close", () => {
        if (!response.writableFinished) controller.abort();
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      return new Request(`http://${request.headers.host ?? "localhost"}${request.url ?? "/"}`, { method: "POST", headers, body, signal });
    },
  };
}

function nodeReply(response: ServerResponse): FastHttpReply {
  return {
    json(status, body, headers) {
      const length = Buffer.byteLength(body);
      response.writeHead(
        status,
        headers === undefined ? { "content-type": "application/json", "content-length": length } : { "content-type": "application/json", ...headers, "content-length": length },
      );
      response.end(body);
    },
    stream(headers) {
      response.writeHead(200, headers);
      response.flushHeaders();
    },
    write: (text) => void response.write(text),
    end: () => void response.end(),
    onAbort(listener) {
      response.once("close", () => {
        if (!response.writableFinished) listener();
      });
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function tooLarge(response: ServerResponse, maxBytes: number): true {
  // The unread rest of the body is not drained: the connection is closed instead.
  response.setHeader("connection", "close");
  return refuse(response, Refusals.tooLarge(maxBytes));
}

/** A refusal written as the hono app writes it. */
function refuse(response: ServerResponse, { status, code, message }: Refusal): true {
  const body = refusalBody(code, message);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
  return true;
}
