/**
 * The MCP messages the drivers send, in both eras, and a parser for answers
 * that come as JSON or as a server-sent event stream.
 */
export const LEGACY = "2025-11-25";
export const MODERN = "2026-07-28";

const clientInfo = { name: "mcpkit-bench", version: "1.0.0" };

export function initialize(id = 0) {
  return { jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: LEGACY, capabilities: {}, clientInfo } };
}

export const initialized = { jsonrpc: "2.0", method: "notifications/initialized" };

/** A request; `modern` adds the 2026-07-28 `_meta` envelope every request carries. */
export function request(id, method, params = {}, modern = false) {
  const p = modern
    ? {
        ...params,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": MODERN,
          "io.modelcontextprotocol/clientInfo": clientInfo,
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      }
    : params;
  return { jsonrpc: "2.0", id, method, params: p };
}

export const callAdd = (id, modern = false) => request(id, "tools/call", { name: "add", arguments: { a: 2, b: 3 } }, modern);

/**
 * HTTP headers for one POST in a mode: "modern", "stateless" or "sessions".
 * A legacy client sends the version `initialize` negotiated (`version`).
 */
export function httpHeaders(mode, method, name, sessionId, version = LEGACY) {
  const headers = {
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "mcp-protocol-version": mode === "modern" ? MODERN : version,
  };
  if (mode === "modern") {
    headers["mcp-method"] = method;
    if (name !== undefined) headers["mcp-name"] = name;
  }
  if (sessionId !== undefined) headers["mcp-session-id"] = sessionId;
  return headers;
}

/** The JSON-RPC messages in an HTTP answer body (JSON, or SSE `data:` lines). */
export function parseBody(text, contentType = "") {
  if (contentType.includes("text/event-stream") || text.startsWith("event:") || text.startsWith("data:") || text.startsWith("id:")) {
    const out = [];
    for (const block of text.split(/\r?\n\r?\n/)) {
      const data = block
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (data !== "") out.push(JSON.parse(data));
    }
    return out;
  }
  if (text.trim() === "") return [];
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Check an `add(2, 3)` answer: a result whose text is "5". */
export function checkAddResult(message) {
  const text = message?.result?.content?.[0]?.text;
  if (text !== "5") throw new Error(`add(2, 3) answered ${JSON.stringify(message).slice(0, 300)}`);
}
