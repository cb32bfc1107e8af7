/**
 * The raw responder: MCP with no MCP library, the least work a correct server
 * does. A synchronous JSON-RPC dispatcher with hand-written JSON Schemas, plus
 * a stdio loop and a node:http server around it. `raw.mjs` and `raw-zod.mjs`
 * differ only in how they check tool arguments (typeof checks vs zod).
 */
import { DESCRIPTIONS, SERVER_INFO, cli, closeOnShutdown, fillerDescription, fillerNames, isMain, ready } from "./common.mjs";

export const LEGACY_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];
export const MODERN_VERSION = "2026-07-28";
const PV = "io.modelcontextprotocol/protocolVersion";

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const HEADER_MISMATCH = -32020;
const UNSUPPORTED_VERSION = -32022;

/** Thrown by an argument check: becomes an `isError` tool result naming the problem. */
export class ArgumentError extends Error {}

// Hand-written JSON Schemas (what tools/list sends).
const NUMBER_PAIR = { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] };
const ECHO = { type: "object", properties: { text: { type: "string" } }, required: ["text"] };
const CALC_OUT = { type: "object", properties: { sum: { type: "number" }, product: { type: "number" } }, required: ["sum", "product"] };
const FILLER = {
  type: "object",
  properties: { id: { type: "string" }, count: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
  required: ["id"],
};

function toolDefinitions(total) {
  const tools = [
    { name: "add", description: DESCRIPTIONS.add, inputSchema: NUMBER_PAIR },
    { name: "echo", description: DESCRIPTIONS.echo, inputSchema: ECHO },
    { name: "calc", description: DESCRIPTIONS.calc, inputSchema: NUMBER_PAIR, outputSchema: CALC_OUT },
  ];
  for (const name of fillerNames(total)) tools.push({ name, description: fillerDescription(name), inputSchema: FILLER });
  return tools;
}

const text = (t) => ({ content: [{ type: "text", text: t }] });

/**
 * A dispatcher: `dispatch(message)` answers one parsed JSON-RPC message with a
 * response object, or `null` for a notification. `check` holds the argument
 * checks: `{ pair(args), echo(args), filler(args) }`, each returning the
 * arguments to use or throwing `ArgumentError`.
 */
export function createDispatcher({ tools = 3, check }) {
  const definitions = toolDefinitions(tools);
  const listLegacy = { tools: definitions };
  const listModern = { tools: definitions, resultType: "complete", ttlMs: 0, cacheScope: "public" };
  const capabilities = { tools: { listChanged: false } };
  const discover = {
    supportedVersions: [MODERN_VERSION],
    capabilities,
    resultType: "complete",
    ttlMs: 0,
    cacheScope: "public",
    _meta: { "io.modelcontextprotocol/serverInfo": SERVER_INFO },
  };

  const handlers = new Map([
    ["add", (args) => {
      const { a, b } = check.pair(args);
      return text(String(a + b));
    }],
    ["echo", (args) => text(check.echo(args).text)],
    ["calc", (args) => {
      const { a, b } = check.pair(args);
      const out = { sum: a + b, product: a * b };
      return { content: [{ type: "text", text: JSON.stringify(out) }], structuredContent: out };
    }],
  ]);
  for (const name of fillerNames(tools)) {
    handlers.set(name, (args) => {
      check.filler(args);
      return text("ok");
    });
  }

  const ok = (id, result) => ({ jsonrpc: "2.0", id, result });
  const fail = (id, code, message, data) => ({ jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } });

  function callTool(params) {
    const handler = typeof params?.name === "string" ? handlers.get(params.name) : undefined;
    if (handler === undefined) return undefined;
    try {
      return handler(params.arguments ?? {});
    } catch (error) {
      const what = error instanceof ArgumentError ? "Invalid arguments for tool" : "Error calling tool";
      return { content: [{ type: "text", text: `${what} '${params.name}': ${error.message}` }], isError: true };
    }
  }

  function dispatch(message) {
    if (message === null || typeof message !== "object" || Array.isArray(message) || typeof message.method !== "string") {
      return fail(message?.id ?? null, INVALID_REQUEST, "Invalid Request");
    }
    const { id, method, params } = message;
    if (id === undefined) return null; // notifications: notifications/initialized, cancelled... nothing to do

    const version = params?._meta?.[PV];
    if (version !== undefined) {
      // 2026-07-28: every request carries its protocol version; results say they are complete.
      if (version !== MODERN_VERSION) return fail(id, UNSUPPORTED_VERSION, "Unsupported protocol version", { requested: version, supported: [MODERN_VERSION] });
      switch (method) {
        case "tools/call": {
          const result = callTool(params);
          if (result === undefined) return fail(id, INVALID_PARAMS, `Unknown tool: ${params?.name}`);
          result.resultType = "complete";
          return ok(id, result);
        }
        case "tools/list":
          return ok(id, listModern);
        case "server/discover":
          return ok(id, discover);
        case "ping":
          return ok(id, { resultType: "complete" });
        default:
          return fail(id, METHOD_NOT_FOUND, `Method not found: ${method}`);
      }
    }

    switch (method) {
      case "tools/call": {
        const result = callTool(params);
        return result === undefined ? fail(id, INVALID_PARAMS, `Unknown tool: ${params?.name}`) : ok(id, result);
      }
      case "tools/list":
        return ok(id, listLegacy);
      case "initialize": {
        const requested = params?.protocolVersion;
        const protocolVersion = LEGACY_VERSIONS.includes(requested) ? requested : LEGACY_VERSIONS[0];
        return ok(id, { protocolVersion, capabilities, serverInfo: SERVER_INFO });
      }
      case "ping":
        return ok(id, {});
      case "server/discover":
        return ok(id, discover);
      default:
        return fail(id, METHOD_NOT_FOUND, `Method not found: ${method}`);
    }
  }

  return { dispatch, definitions };
}

/** Serve `dispatch` over stdio: newline-delimited JSON-RPC. The answers to one chunk of input go out in one write. */
export function serveStdio(dispatch) {
  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => {
    buffer += chunk;
    let out = "";
    let start = 0;
    let nl;
    while ((nl = buffer.indexOf("\n", start)) !== -1) {
      const line = buffer.slice(start, nl);
      start = nl + 1;
      if (line.trim() === "") continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        out += `${JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "Parse error" } })}\n`;
        continue;
      }
      const response = dispatch(message);
      if (response !== null) out += `${JSON.stringify(response)}\n`;
    }
    buffer = buffer.slice(start);
    if (out !== "") process.stdout.write(out);
  });
  // When stdin ends nothing is left to wait for: the process exits by itself once stdout has drained.
}

/**
 * Serve `dispatch` over streamable HTTP at /mcp with node:http, answering
 * plain JSON. `mode`: "modern" and "stateless" keep nothing between requests;
 * "sessions" gives `initialize` an Mcp-Session-Id and requires it afterwards.
 * Requests carrying the 2026-07-28 envelope are served statelessly in every mode.
 */
export async function serveHttp(dispatch, { host, port, mode }) {
  // Loaded here, not at the top: a stdio server (the cold-start measure) never pays for node:http.
  const { createServer } = await import("node:http");
  const sessions = new Map();
  const sessionful = mode === "sessions";

  const send = (res, status, body, headers) => {
    if (body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const payload = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...headers });
    res.end(payload);
  };
  const error = (id, code, message) => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });

  function handlePost(req, res, body) {
    let message;
    try {
      message = JSON.parse(body);
    } catch {
      return send(res, 400, error(null, PARSE_ERROR, "Parse error"));
    }
    if (message === null || typeof message !== "object" || Array.isArray(message)) return send(res, 400, error(null, INVALID_REQUEST, "Invalid Request"));
    const headers = req.headers;
    const version = message.params?._meta?.[PV];

    if (version !== undefined) {
      // 2026-07-28: the headers must agree with the body.
      if (headers["mcp-protocol-version"] !== version || headers["mcp-method"] !== message.method) {
        return send(res, 400, error(message.id, HEADER_MISMATCH, "Headers do not match the request body"));
      }
      if (message.method === "tools/call" && headers["mcp-name"] !== message.params.name) {
        return send(res, 400, error(message.id, HEADER_MISMATCH, "Mcp-Name does not match params.name"));
      }
      const response = dispatch(message);
      if (response === null) return send(res, 202);
      return send(res, response.error?.code === UNSUPPORTED_VERSION ? 400 : 200, response);
    }

    // 2025 era.
    const headerVersion = headers["mcp-protocol-version"];
    if (headerVersion !== undefined && !LEGACY_VERSIONS.includes(headerVersion)) {
      return send(res, 400, error(message.id, INVALID_REQUEST, `Unsupported protocol version: ${headerVersion}`));
    }
    if (!sessionful) {
      const response = dispatch(message);
      return response === null ? send(res, 202) : send(res, 200, response);
    }
    if (message.method === "initialize") {
      const response = dispatch(message);
      if (response.error !== undefined) return send(res, 200, response);
      const sid = globalThis.crypto.randomUUID();
      sessions.set(sid, { protocolVersion: response.result.protocolVersion });
      return send(res, 200, response, { "mcp-session-id": sid });
    }
    const sid = headers["mcp-session-id"];
    if (sid === undefined) return send(res, 400, error(message.id, INVALID_REQUEST, "Missing Mcp-Session-Id"));
    if (!sessions.has(sid)) return send(res, 404, error(message.id, -32001, "Session not found"));
    const response = dispatch(message);
    return response === null ? send(res, 202) : send(res, 200, response);
  }

  const server = createServer((req, res) => {
    const path = req.url.indexOf("?") === -1 ? req.url : req.url.slice(0, req.url.indexOf("?"));
    if (path !== "/mcp") return send(res, 404, error(null, INVALID_REQUEST, "Not found"));
    if (req.method === "POST") {
      const type = req.headers["content-type"];
      if (type === undefined || !type.includes("application/json")) return send(res, 415, error(null, INVALID_REQUEST, "Content-Type must be application/json"));
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => handlePost(req, res, chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
      return;
    }
    if (req.method === "DELETE" && sessionful) {
      const sid = req.headers["mcp-session-id"];
      if (sid === undefined || !sessions.delete(sid)) return send(res, 404, error(null, -32001, "Session not found"));
      return send(res, 200);
    }
    // No standalone SSE stream: nothing is ever pushed.
    send(res, 405, undefined, { allow: sessionful ? "POST, DELETE" : "POST" });
  });
  server.listen(port, host, () => ready(server.address().port));
  closeOnShutdown(server);
  return server;
}

/** Serve a raw variant when its module is run directly (stdio or HTTP, per the command line). */
export async function main(moduleUrl, build) {
  if (!isMain(moduleUrl)) return;
  const args = cli();
  const { dispatch } = build({ tools: args.tools });
  if (args.transport === "stdio") serveStdio(dispatch);
  else await serveHttp(dispatch, args);
}
