/**
 * The official MCP TypeScript SDK v2 (@modelcontextprotocol/server 2.4), as its
 * docs show: a factory returning a fresh `McpServer` with `registerTool` and zod
 * schemas; `serveStdio(factory)` for stdio; `createMcpHandler(factory)` for
 * HTTP modern requests (2026-07-28).
 *
 * 2025-era HTTP uses the composition the docs of `isLegacyRequest` describe:
 * legacy requests are routed to a `WebStandardStreamableHTTPServerTransport`
 * in front of a strict modern handler. "stateless": a fresh server and
 * transport per request (`sessionIdGenerator: undefined`, the transport docs'
 * stateless example), "sessions": one per session, kept in a map. Both with
 * `enableJsonResponse: true`, so answers are plain JSON; createMcpHandler's
 * built-in legacy fallback would do the stateless part too, but always answers
 * over SSE.
 */
import { randomUUID } from "node:crypto";
import {
  McpServer,
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  hostHeaderValidationResponse,
  isInitializeRequest,
  isJsonContentType,
  isLegacyRequest,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
} from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";
import { DESCRIPTIONS, SERVER_INFO, cli, fillerDescription, fillerNames, isMain, log } from "./common.mjs";

// Schemas are built once and shared by every server instance the factory makes.
const pair = z.object({ a: z.number(), b: z.number() });
const echo = z.object({ text: z.string() });
const calcOut = z.object({ sum: z.number(), product: z.number() });
const filler = z.object({ id: z.string(), count: z.number().optional(), tags: z.array(z.string()).optional() });

/** A factory: each call returns a new McpServer with every tool registered. */
export function build({ tools = 3 } = {}) {
  const names = fillerNames(tools);
  return function createServer() {
    const server = new McpServer(SERVER_INFO);
    server.registerTool("add", { description: DESCRIPTIONS.add, inputSchema: pair }, async ({ a, b }) => ({
      content: [{ type: "text", text: String(a + b) }],
    }));
    server.registerTool("echo", { description: DESCRIPTIONS.echo, inputSchema: echo }, async ({ text }) => ({
      content: [{ type: "text", text }],
    }));
    server.registerTool("calc", { description: DESCRIPTIONS.calc, inputSchema: pair, outputSchema: calcOut }, async ({ a, b }) => {
      const output = { sum: a + b, product: a * b };
      return { content: [{ type: "text", text: JSON.stringify(output) }], structuredContent: output };
    });
    for (const name of names) {
      server.registerTool(name, { description: fillerDescription(name), inputSchema: filler }, async () => ({
        content: [{ type: "text", text: "ok" }],
      }));
    }
    return server;
  };
}

const jsonError = (status, code, message) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), { status, headers: { "content-type": "application/json" } });

/** Sessionful 2025-era serving: one transport and one server per session, in a map. */
function sessionfulLegacy(factory) {
  const transports = new Map();
  return async function legacy(request, parsedBody) {
    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId !== null) {
      const transport = transports.get(sessionId);
      if (transport === undefined) return jsonError(404, -32001, "Session not found");
      return transport.handleRequest(request, { parsedBody });
    }
    if (request.method !== "POST" || !isInitializeRequest(parsedBody)) return jsonError(400, -32000, "Bad Request: No valid session ID provided");
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        transports.set(id, transport);
      },
      onsessionclosed: (id) => {
        transports.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) transports.delete(transport.sessionId);
    };
    await factory({ era: "legacy" }).connect(transport);
    return transport.handleRequest(request, { parsedBody });
  };
}

/** Stateless 2025-era serving: a fresh server and transport for every request, torn down after its answer. */
function statelessLegacy(factory) {
  return async function legacy(request, parsedBody) {
    if (request.method !== "POST") return jsonError(405, -32000, "Method not allowed.");
    const server = factory({ era: "legacy" });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { parsedBody });
    } finally {
      void transport.close().catch(() => undefined);
      void server.close().catch(() => undefined);
    }
  };
}

/** The fetch handler for a benchmark mode. */
function httpHandler(factory, mode) {
  const allowedHosts = localhostAllowedHostnames();
  const allowedOrigins = localhostAllowedOrigins();
  const guard = (request) => hostHeaderValidationResponse(request, allowedHosts) ?? originValidationResponse(request, allowedOrigins);
  const onerror = (error) => log("sdk:", error);

  if (mode === "modern") {
    // The v2 entry point as documented: modern requests per request (and any legacy request through its SSE fallback).
    const handler = createMcpHandler(factory, { responseMode: "json", onerror });
    return (request) => guard(request) ?? handler.fetch(request);
  }

  const modern = createMcpHandler(factory, { legacy: "reject", responseMode: "json", onerror });
  const legacy = mode === "sessions" ? sessionfulLegacy(factory) : statelessLegacy(factory);
  return async (request) => {
    const rejected = guard(request);
    if (rejected !== undefined) return rejected;
    let parsedBody;
    if (request.method === "POST") {
      if (!isJsonContentType(request.headers.get("content-type"))) return jsonError(415, -32000, "Unsupported Media Type: Content-Type must be application/json");
      try {
        parsedBody = await request.json();
      } catch {
        return jsonError(400, -32700, "Parse error");
      }
    }
    if (await isLegacyRequest(request, parsedBody)) return legacy(request, parsedBody);
    return modern.fetch(request, { parsedBody });
  };
}

if (isMain(import.meta.url)) {
  const args = cli();
  const factory = build({ tools: args.tools });
  if (args.transport === "stdio") {
    serveStdio(factory, { onerror: (error) => log("sdk:", error) });
  } else {
    const { serveFetch } = await import("./node-fetch.mjs"); // the Node HTTP adapter, loaded only for HTTP
    serveFetch(httpHandler(factory, args.mode), args);
  }
}
