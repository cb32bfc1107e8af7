/**
 * Bad input on the HTTP transport: each is refused with the right HTTP status
 * and JSON-RPC error, and the server keeps serving afterwards.
 */
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP, type HttpHandle } from "mcpkit";
import { legacyHeaders, modernRequest, postLegacy, postModern, rawRequest, rpcResponse, type RawResponse } from "./fixtures/wire.js";

const MAX_BODY = 1024;
const MAX_DEPTH = 8;

let mcp: FastMCP;
let handle: HttpHandle;
let toolRuns = 0;

beforeAll(async () => {
  mcp = new FastMCP({ name: "bad-input", version: "1.0.0" });
  mcp.tool({ name: "echo", input: z.object({ text: z.string() }) }, ({ text }) => {
    toolRuns++;
    return `echo: ${text}`;
  });
  mcp.tool(
    { name: "book", input: z.object({ guests: z.number().int().min(1), email: z.email() }) },
    ({ guests, email }) => `booked ${guests} for ${email}`,
  );
  mcp.tool({ name: "nested", input: z.object({ value: z.unknown() }) }, () => "accepted");
  handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0, maxBodyBytes: MAX_BODY, maxJsonDepth: MAX_DEPTH });
});

afterAll(async () => {
  await handle.close();
  await mcp.close();
});

// Every test leaves the server serving: a good call works after each one.
afterEach(async () => {
  const response = await postModern(handle.endpoint, "after", "tools/call", { name: "echo", arguments: { text: "still serving" } });
  expect(response.status).toBe(200);
  expect((await rpcResponse(response)).result.content).toEqual([{ type: "text", text: "echo: still serving" }]);
});

function post(body: string | readonly string[], headers: Record<string, string> = legacyHeaders()): Promise<RawResponse> {
  return rawRequest(handle.endpoint, { method: "POST", headers, body });
}

function rpcError(response: RawResponse): { code: number; message: string; id: unknown } {
  const parsed = JSON.parse(response.body) as { jsonrpc: string; error: { code: number; message: string }; id: unknown };
  expect(parsed.jsonrpc).toBe("2.0");
  return { ...parsed.error, id: parsed.id };
}

/** Send raw bytes on a fresh socket and return everything the server wrote back. */
function rawSocket(payload: string): Promise<string> {
  const { hostname, port } = new URL(handle.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(payload));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("end", () => resolve(received));
    socket.on("close", () => resolve(received));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? resolve(received) : reject(error)));
  });
}

describe("malformed bodies", () => {
  it("malformed JSON is answered 400 with a -32700 parse error", async () => {
    const response = await post('{"jsonrpc":"2.0","id":1,"method":');
    expect(response.status).toBe(400);
    expect(rpcError(response)).toMatchObject({ code: -32700, id: null });
  });

  it("an empty body is answered 400 with a -32700 parse error", async () => {
    const response = await post("");
    expect(response.status).toBe(400);
    expect(rpcError(response).code).toBe(-32700);
  });

  it.each([
    ["a number", "42"],
    ["a string", '"tools/list"'],
    ["null", "null"],
    ["a message without jsonrpc", JSON.stringify({ id: 1, method: "tools/list" })],
    ["a message with jsonrpc 1.0", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "tools/list" })],
  ])("valid JSON that is not a JSON-RPC message (%s) is answered 400 with -32600", async (_label, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(rpcError(response).code).toBe(-32600);
  });
});

describe("content type", () => {
  it.each([
    ["text/plain", "text/plain"],
    ["form data", "multipart/form-data; boundary=x"],
    ["url-encoded", "application/x-www-form-urlencoded"],
    ["JSON-patch", "application/json-patch+json"],
  ])("a %s body is answered 415 Unsupported Media Type", async (_label, contentType) => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { ...legacyHeaders(), "content-type": contentType });
    expect(response.status).toBe(415);
    expect(rpcError(response)).toMatchObject({ code: -32600, message: expect.stringMatching(/content-type/i) });
  });

  it("a POST without a Content-Type is answered 415", async () => {
    const { "content-type": _dropped, ...headers } = legacyHeaders();
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), headers);
    expect(response.status).toBe(415);
  });

  it("application/json with a charset parameter is accepted", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), {
      ...legacyHeaders(),
      "content-type": "application/json; charset=utf-8",
    });
    expect(response.status).toBe(200);
  });
});

describe("body size limit", () => {
  const oversize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "a".repeat(MAX_BODY) } } });

  it("a body over maxBodyBytes is answered 413 and the tool never runs", async () => {
    const before = toolRuns;
    const response = await post(oversize);
    expect(response.status).toBe(413);
    expect(rpcError(response).message).toContain(String(MAX_BODY));
    expect(toolRuns).toBe(before);
  });

  it("a Content-Length declaring more than the limit is answered 413 before the body is read", async () => {
    // The declared length is a lie: only a few bytes follow. Refusing must not wait for the rest.
    const answer = await rawSocket(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
        `Content-Length: ${MAX_BODY * 1000}\r\nConnection: close\r\n\r\n{"jsonrpc":"2.0"`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain(`exceeds ${MAX_BODY} bytes`);
  });

  it("a chunked body with no Content-Length is cut off at the limit with 413", async () => {
    const before = toolRuns;
    const chunks = ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"', "b".repeat(600), "b".repeat(600), '"}}}'];
    const response = await post(chunks);
    expect(response.status).toBe(413);
    expect(toolRuns).toBe(before);
  });

  it("a Content-Length smaller than the body is never read past, and nothing runs", async () => {
    const before = toolRuns;
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "c".repeat(4 * MAX_BODY) } } });
    const answer = await rawSocket(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
        `Content-Length: 20\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(toolRuns).toBe(before);
  });

  it("a body just under the limit is served", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "" } } });
    const padded = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "d".repeat(MAX_BODY - body.length - 1) } },
    });
    expect(Buffer.byteLength(padded)).toBeLessThanOrEqual(MAX_BODY);
    const response = await post(padded);
    expect(response.status).toBe(200);
  });
});

describe("JSON depth limit", () => {
  const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("JSON nested deeper than maxJsonDepth is answered 400 before parsing", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "nested", arguments: { value: JSON.parse(deep(MAX_DEPTH)) } } }));
    expect(response.status).toBe(400);
    expect(rpcError(response)).toMatchObject({ code: -32600, message: expect.stringContaining(`deeper than ${MAX_DEPTH}`) });
  });

  it("a bare bracket bomb is refused the same way", async () => {
    const response = await post(deep(MAX_BODY / 2));
    expect(response.status).toBe(400);
    expect(rpcError(response).message).toContain(`deeper than ${MAX_DEPTH}`);
  });

  it("JSON exactly at the limit is served", async () => {
    // envelope (1) + params (2) + arguments (3) + value's arrays (4..8)
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "nested", arguments: { value: JSON.parse(deep(MAX_DEPTH - 3)) } } }));
    expect(response.status).toBe(200);
  });

  it("brackets inside strings do not count as nesting", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: `[{"\\${deep(50)}` } } }));
    expect(response.status).toBe(200);
  });
});

describe("JSON-RPC errors", () => {
  it("an unknown method is answered -32601 in the legacy era", async () => {
    const response = await postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 11, method: "tools/frobnicate" });
    expect(await rpcResponse(response)).toMatchObject({ id: 11, error: { code: -32601 } });
  });

  it("an unknown method is answered 404 with -32601 in the modern era", async () => {
    const response = await postModern(handle.endpoint, 12, "tools/frobnicate");
    expect(response.status).toBe(404);
    expect(await rpcResponse(response)).toMatchObject({ id: 12, error: { code: -32601 } });
  });

  it.each(["legacy", "modern"] as const)("tools/call without a tool name is answered -32602 in the %s era", async (era) => {
    const response =
      era === "modern"
        ? postModern(handle.endpoint, 13, "tools/call", { arguments: {} })
        : postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 13, method: "tools/call", params: { name: 42 } });
    expect(await rpcResponse(await response)).toMatchObject({ id: 13, error: { code: -32602 } });
  });

  it.each(["legacy", "modern"] as const)("an unknown tool name is answered -32602 naming the tool in the %s era", async (era) => {
    const params = { name: "no_such_tool", arguments: {} };
    const response =
      era === "modern"
        ? postModern(handle.endpoint, 14, "tools/call", params)
        : postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 14, method: "tools/call", params });
    const answer = await rpcResponse(await response);
    expect(answer).toMatchObject({ id: 14, error: { code: -32602 } });
    expect(answer.error.message).toContain("no_such_tool");
  });

  it.each(["legacy", "modern"] as const)("arguments failing validation give an isError result naming the field in the %s era", async (era) => {
    const params = { name: "book", arguments: { guests: 0, email: "not-an-email" } };
    const response =
      era === "modern"
        ? postModern(handle.endpoint, 15, "tools/call", params)
        : postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 15, method: "tools/call", params });
    const answer = await rpcResponse(await response);
    expect(answer.id).toBe(15);
    expect(answer.result.isError).toBe(true);
    const text = answer.result.content[0].text as string;
    expect(text).toContain("guests");
    expect(text).toContain("email");
  });

  it("a missing required argument gives an isError result naming it", async () => {
    const answer = await rpcResponse(await postModern(handle.endpoint, 16, "tools/call", { name: "book", arguments: { guests: 2 } }));
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0].text).toContain("email");
  });
});

describe("modern-era header checks", () => {
  it("an Mcp-Method header that disagrees with the body is answered 400 with -32020", async () => {
    const { body, headers } = modernRequest(21, "tools/list");
    const response = await post(JSON.stringify(body), { ...headers, "mcp-method": "tools/call" });
    expect(response.status).toBe(400);
    expect(rpcError(response)).toMatchObject({ code: -32020, id: 21 });
  });

  it("an Mcp-Name header that disagrees with the tool name is answered 400 with -32020 and nothing runs", async () => {
    const before = toolRuns;
    const { body, headers } = modernRequest(22, "tools/call", { name: "echo", arguments: { text: "x" } });
    const response = await post(JSON.stringify(body), { ...headers, "mcp-name": "book" });
    expect(response.status).toBe(400);
    expect(rpcError(response).code).toBe(-32020);
    expect(toolRuns).toBe(before);
  });

  it("an unsupported modern protocol version is answered 400 with -32022 listing the supported ones", async () => {
    const { body, headers } = modernRequest(23, "tools/list");
    (body.params as { _meta: Record<string, unknown> })._meta["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
    const response = await post(JSON.stringify(body), { ...headers, "mcp-protocol-version": "2099-01-01" });
    expect(response.status).toBe(400);
    const parsed = JSON.parse(response.body) as { error: { code: number; data: { supported: string[] } } };
    expect(parsed.error.code).toBe(-32022);
    expect(parsed.error.data.supported).toContain("2026-07-28");
  });
});
