import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { FastMCP, HttpOptions } from "../src/index.js";
import { HttpFastPath } from "../src/protocol/http-fast.js";
import { addChatty, closeAll, closers, richServer, SCRIPT, type Msg } from "./fast-lane-support.js";
import { LEGACY, MODERN } from "./fixtures/wire.js";

/**
 * The HTTP fast path (src/protocol/http-fast.ts, served from node:http by
 * src/http/node-front.ts) against the web-standard path through the SDK,
 * on one host: `mcp.listen()` has the fast path in front, the hono app from
 * `mcp.http()` served by the Node adapter has none. Every scripted request
 * must get the same HTTP status, content type and JSON-RPC messages from both.
 */

afterEach(closeAll);

type Era = "modern" | "legacy";

const MODES: { name: string; options: HttpOptions; fastEras: Era[] }[] = [
  { name: "stateless, auto responses", options: { stateless: true }, fastEras: ["modern", "legacy"] },
  { name: "stateless, JSON responses", options: { stateless: true, jsonResponse: true }, fastEras: ["modern", "legacy"] },
  { name: "sessions, JSON responses", options: { sessions: {}, jsonResponse: true }, fastEras: ["modern", "legacy"] },
  // Session streams are stored for resumption by the session's transport: legacy requests stay on the SDK path.
  { name: "sessions, auto responses", options: { sessions: {} }, fastEras: ["modern"] },
];

/** A server with the parity script's components plus some that talk back mid-call or ask for input. */
function server(): FastMCP<any> {
  const mcp = richServer();
  addChatty(mcp);
  mcp.tool({ name: "ask" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Sure?", z.object({ ok: z.boolean() }), { key: "confirm" });
    return answer.action;
  });
  mcp.tool({ name: "sample" }, async (_args, ctx) => {
    const reply = await ctx.sample("Summarise", { key: "summary" });
    return reply.text ?? "";
  });
  mcp.tool({ name: "roots" }, async (_args, ctx) => (await ctx.listRoots({ key: "roots" })).length);
  mcp.tool({ name: "caught" }, async (_args, ctx) => {
    try {
      await ctx.elicit("Sure?", z.object({ ok: z.boolean() }), { key: "confirm" });
    } catch {
      // The question is still asked: the port recorded it before the interrupt was thrown.
    }
    return "swallowed";
  });
  return mcp;
}

/** The extra requests: [id, method, params, modern envelope additions]. */
const EXTRA: [string, string, Msg, Msg][] = [
  ["chatty with a level", "tools/call", { name: "chatty", arguments: {}, _meta: { progressToken: "tok" } }, { "io.modelcontextprotocol/logLevel": "info" }],
  ["chatty without a level", "tools/call", { name: "chatty", arguments: {}, _meta: { progressToken: 7 } }, {}],
  ["ask, form declared", "tools/call", { name: "ask", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } } }],
  ["ask, bare elicitation", "tools/call", { name: "ask", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } }],
  ["ask, nothing declared", "tools/call", { name: "ask", arguments: {} }, {}],
  ["ask, url mode only", "tools/call", { name: "ask", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { elicitation: { url: {} } } }],
  ["sample, declared", "tools/call", { name: "sample", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { sampling: {} } }],
  ["sample, nothing declared", "tools/call", { name: "sample", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { roots: {} } }],
  ["roots, declared", "tools/call", { name: "roots", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { roots: {} } }],
  ["roots, nothing declared", "tools/call", { name: "roots", arguments: {} }, {}],
  ["caught", "tools/call", { name: "caught", arguments: {} }, { "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } }],
];

interface Served {
  endpoint: string;
  sessionId: string | undefined;
}

async function viaFront(mcp: FastMCP<any>, options: HttpOptions): Promise<string> {
  const handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0, ...options });
  closers.push(() => handle.close());
  return handle.endpoint;
}

async function viaWeb(mcp: FastMCP<any>, options: HttpOptions): Promise<string> {
  const app = mcp.http(options);
  const listener = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  closers.push(() => new Promise<void>((resolve) => listener.close(() => resolve())));
  return `http://127.0.0.1:${(listener.address() as AddressInfo).port}/mcp`;
}

function headers(era: Era, method: string, params: Msg | undefined, sessionId: string | undefined): Record<string, string> {
  const out: Record<string, string> = { accept: "application/json, text/event-stream", "content-type": "application/json" };
  out["mcp-protocol-version"] = era === "modern" ? MODERN : LEGACY;
  if (era === "modern") {
    out["mcp-method"] = method;
    const name = method === "resources/read" ? params?.uri : params?.name;
    if (typeof name === "string") out["mcp-name"] = name;
  }
  if (sessionId !== undefined) out["mcp-session-id"] = sessionId;
  return out;
}

function body(era: Era, id: string, method: string, params: Msg | undefined, envelope: Msg = {}): Msg {
  if (era === "legacy") return { jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) };
  const p = params ?? {};
  const meta = typeof p._meta === "object" && p._meta !== null ? p._meta : {};
  return {
    jsonrpc: "2.0",
    id,
    method,
    params: {
      ...p,
      _meta: {
        ...meta,
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientInfo": { name: "parity", version: "1.0.0" },
        "io.modelcontextprotocol/clientCapabilities": {},
        ...envelope,
      },
    },
  };
}

/** The messages of an answer body, JSON or an event stream, with the minted request state blanked out. */
function messages(text: string, type: string): unknown[] {
  const found: unknown[] = [];
  if (type === "text/event-stream") {
    for (const block of text.split("\n\n")) {
      const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (data !== "") found.push(JSON.parse(data));
    }
  } else if (text !== "") {
    found.push(JSON.parse(text));
  }
  return JSON.parse(JSON.stringify(found).replace(/"requestState":"[^"]+"/g, '"requestState":"<minted>"'));
}

async function exchange(served: Served, era: Era, id: string, method: string, params: Msg | undefined, envelope?: Msg): Promise<Msg> {
  // A modern client sends no session id; a legacy one sends the session's.
  const sessionId = era === "legacy" ? served.sessionId : undefined;
  const response = await fetch(served.endpoint, {
    method: "POST",
    headers: headers(era, method, params, sessionId),
    body: JSON.stringify(body(era, id, method, params, envelope)),
  });
  const type = (response.headers.get("content-type") ?? "").split(";")[0] ?? "";
  let text = await response.text();
  if (served.sessionId !== undefined) text = text.replaceAll(served.sessionId, "<session>");
  return { status: response.status, type, session: response.headers.get("mcp-session-id") === (sessionId ?? null) ? "same" : "other", messages: messages(text, type) };
}

async function open(endpoint: string, sessions: boolean): Promise<Served> {
  if (!sessions) return { endpoint, sessionId: undefined };
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "parity", version: "1.0.0" } } }),
  });
  await response.text();
  const sessionId = response.headers.get("mcp-session-id") ?? undefined;
  const served = { endpoint, sessionId };
  await fetch(endpoint, { method: "POST", headers: headers("legacy", "", undefined, sessionId), body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
  return served;
}

describe.each(MODES)("HTTP fast path parity with the SDK path ($name)", ({ options, fastEras }) => {
  it.each<Era>(["modern", "legacy"])("answers every scripted request in the %s era exactly as the SDK path does", async (era) => {
    const mcp = server();
    const run = vi.spyOn(HttpFastPath.prototype as unknown as { start: () => void }, "start");
    const sessions = options.sessions !== undefined;
    const fast = await open(await viaFront(mcp, options), sessions);
    const web = await open(await viaWeb(mcp, options), sessions);
    const requests: [string, string, Msg | undefined, Msg | undefined][] = [...SCRIPT.map(([id, m, p]) => [id, m, p, undefined] as [string, string, Msg | undefined, undefined]), ...EXTRA];
    for (const [id, method, params, envelope] of requests) {
      const before = run.mock.calls.length;
      const a = await exchange(fast, era, id, method, params, envelope);
      const taken = run.mock.calls.length > before;
      const b = await exchange(web, era, id, method, params, envelope);
      expect({ id, ...a }).toEqual({ id, ...b });
      if (!id.startsWith("malformed")) expect({ id, taken }).toEqual({ id, taken: fastEras.includes(era) });
    }
  });
});
