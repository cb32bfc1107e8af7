import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP, type HttpHandle } from "../src/index.js";

/**
 * The modern era's requestState, attacked over a real HTTP listener with raw
 * JSON-RPC (what the SDK client sends, byte for byte, but under our control).
 */

const VERSION = "2026-07-28";
const CAPS = { elicitation: { form: {} } };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

interface RpcResponse {
  result?: {
    resultType?: string;
    inputRequests?: Record<string, { method: string }>;
    requestState?: string;
    content?: { type: string; text?: string }[];
    messages?: { content: { text?: string } }[];
  };
  error?: { code: number; message: string; data?: unknown };
}

let nextId = 1;

/** POST one modern-era request, with the headers and `_meta` envelope the SDK client sends. */
async function post(
  endpoint: string,
  method: "tools/call" | "prompts/get",
  params: Record<string, unknown>,
  capabilities: Record<string, unknown> = CAPS,
): Promise<RpcResponse> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-method": method,
      "mcp-name": String(params.name),
      "mcp-protocol-version": VERSION,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: nextId++,
      method,
      params: {
        ...params,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": VERSION,
          "io.modelcontextprotocol/clientInfo": { name: "raw-client", version: "1.0.0" },
          "io.modelcontextprotocol/clientCapabilities": capabilities,
        },
      },
    }),
  });
  const body = await response.text();
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const frames = body
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => JSON.parse(line.slice(5)) as RpcResponse & { id?: unknown });
    const final = frames.find((f) => f.result !== undefined || f.error !== undefined);
    if (final === undefined) throw new Error(`no response frame in: ${body}`);
    return final;
  }
  return JSON.parse(body) as RpcResponse;
}

/** Change one character in the middle of the signed payload. */
function tamper(requestState: string): string {
  const [version, payload = "", signature = ""] = requestState.split(".");
  const i = Math.floor(payload.length / 2);
  const flipped = payload[i] === "A" ? "B" : "A";
  return `${version}.${payload.slice(0, i)}${flipped}${payload.slice(i + 1)}.${signature}`;
}

async function listen(mcp: FastMCP<any>): Promise<HttpHandle> {
  const handle = await mcp.listen({ transport: "http", port: 0 });
  open.push(mcp, handle);
  return handle;
}

/** A server with two tools that ask the same question under the same key. */
function confirmServer(counters: { after: number }, options: { requestStateKey?: string } = {}): FastMCP {
  const mcp = new FastMCP({ name: "State", ...options });
  for (const name of ["transfer", "delete"]) {
    mcp.tool({ name }, async (_args, ctx) => {
      const answer = await ctx.elicit("Sure?", z.object({ ok: z.boolean() }), { key: "confirm" });
      counters.after++;
      return `${name}: ${answer.action}`;
    });
  }
  mcp.prompt({ name: "transfer" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Sure?", z.object({ ok: z.boolean() }), { key: "confirm" });
    counters.after++;
    return `prompt: ${answer.action}`;
  });
  return mcp;
}

const YES = { confirm: { action: "accept", content: { ok: true } } };

/** A two-round tool whose second round is where a carried answer would matter. */
function twoStepServer(counters: { after: number }): FastMCP {
  const mcp = new FastMCP({ name: "State" });
  mcp.tool({ name: "pay" }, async (_args, ctx) => {
    const amount = await ctx.elicit("Amount?", z.object({ cents: z.number().int() }), { key: "amount" });
    await ctx.elicit("Confirm?", undefined, { key: "confirm" });
    counters.after++;
    return `paid ${amount.action === "accept" ? amount.data.cents : 0}`;
  });
  return mcp;
}

describe("requestState integrity (modern era over HTTP)", () => {
  it("a genuine retry with the untouched requestState completes", async () => {
    const counters = { after: 0 };
    const h = await listen(confirmServer(counters));

    const first = await post(h.endpoint, "tools/call", { name: "transfer", arguments: {} });
    expect(first.result?.resultType).toBe("input_required");
    expect(Object.keys(first.result?.inputRequests ?? {})).toEqual(["confirm"]);
    expect(typeof first.result?.requestState).toBe("string");

    const done = await post(h.endpoint, "tools/call", {
      name: "transfer",
      arguments: {},
      inputResponses: YES,
      requestState: first.result?.requestState,
    });
    expect(done.error).toBeUndefined();
    expect(done.result?.content).toEqual([{ type: "text", text: "transfer: accept" }]);
    expect(counters.after).toBe(1);
  });

  it("a retry with one character of the requestState changed is rejected with -32602", async () => {
    const counters = { after: 0 };
    const h = await listen(confirmServer(counters));
    const first = await post(h.endpoint, "tools/call", { name: "transfer", arguments: {} });
    const state = first.result?.requestState ?? "";

    const forged = await post(h.endpoint, "tools/call", { name: "transfer", arguments: {}, inputResponses: YES, requestState: tamper(state) });

    expect(tamper(state)).not.toBe(state);
    expect(forged.result).toBeUndefined();
    expect(forged.error?.code).toBe(-32602);
    expect(forged.error?.message).toMatch(/requestState/);
    expect(counters.after).toBe(0);
  });

  it("a forged carried answer in a later round is rejected, so the handler never sees it", async () => {
    const counters = { after: 0 };
    const h = await listen(twoStepServer(counters));
    const r1 = await post(h.endpoint, "tools/call", { name: "pay", arguments: {} });
    const r2 = await post(h.endpoint, "tools/call", {
      name: "pay",
      arguments: {},
      inputResponses: { amount: { action: "accept", content: { cents: 100 } } },
      requestState: r1.result?.requestState,
    });
    expect(Object.keys(r2.result?.inputRequests ?? {})).toEqual(["confirm"]);
    const state = r2.result?.requestState ?? "";

    // Rewrite the carried amount inside the payload, keeping the old signature.
    const [version, payload = "", signature = ""] = state.split(".");
    const decoded = Buffer.from(payload, "base64url").toString("utf8");
    expect(decoded).toContain('"cents":100');
    const rewritten = Buffer.from(decoded.replace('"cents":100', '"cents":999999'), "utf8").toString("base64url");
    const forged = await post(h.endpoint, "tools/call", {
      name: "pay",
      arguments: {},
      inputResponses: { confirm: { action: "accept", content: {} } },
      requestState: `${version}.${rewritten}.${signature}`,
    });

    expect(forged.error?.code).toBe(-32602);
    expect(counters.after).toBe(0);

    const honest = await post(h.endpoint, "tools/call", {
      name: "pay",
      arguments: {},
      inputResponses: { confirm: { action: "accept", content: {} } },
      requestState: state,
    });
    expect(honest.result?.content).toEqual([{ type: "text", text: "paid 100" }]);
  });

  it("a requestState minted for one tool is rejected with -32602 when replayed against another", async () => {
    const counters = { after: 0 };
    const h = await listen(confirmServer(counters));
    const first = await post(h.endpoint, "tools/call", { name: "transfer", arguments: {} });

    const replayed = await post(h.endpoint, "tools/call", {
      name: "delete",
      arguments: {},
      inputResponses: YES,
      requestState: first.result?.requestState,
    });

    expect(replayed.result).toBeUndefined();
    expect(replayed.error?.code).toBe(-32602);
    expect(counters.after).toBe(0);
  });

  it("a requestState minted for a tool is rejected with -32602 when replayed against a prompt of the same name", async () => {
    const counters = { after: 0 };
    const h = await listen(confirmServer(counters));
    const first = await post(h.endpoint, "tools/call", { name: "transfer", arguments: {} });

    const replayed = await post(h.endpoint, "prompts/get", {
      name: "transfer",
      arguments: {},
      inputResponses: YES,
      requestState: first.result?.requestState,
    });

    expect(replayed.error?.code).toBe(-32602);
    expect(counters.after).toBe(0);
  });

  it("a requestState signed by another server's key is rejected with -32602", async () => {
    const counters = { after: 0 };
    const other = await listen(confirmServer({ after: 0 }, { requestStateKey: "a".repeat(32) }));
    const h = await listen(confirmServer(counters, { requestStateKey: "b".repeat(32) }));
    const minted = await post(other.endpoint, "tools/call", { name: "transfer", arguments: {} });

    const replayed = await post(h.endpoint, "tools/call", {
      name: "transfer",
      arguments: {},
      inputResponses: YES,
      requestState: minted.result?.requestState,
    });

    expect(replayed.error?.code).toBe(-32602);
    expect(counters.after).toBe(0);
  });

  it("replicas sharing one requestStateKey accept each other's requestState", async () => {
    const counters = { after: 0 };
    const a = await listen(confirmServer({ after: 0 }, { requestStateKey: "k".repeat(32) }));
    const b = await listen(confirmServer(counters, { requestStateKey: "k".repeat(32) }));
    const minted = await post(a.endpoint, "tools/call", { name: "transfer", arguments: {} });

    const done = await post(b.endpoint, "tools/call", {
      name: "transfer",
      arguments: {},
      inputResponses: YES,
      requestState: minted.result?.requestState,
    });

    expect(done.result?.content).toEqual([{ type: "text", text: "transfer: accept" }]);
    expect(counters.after).toBe(1);
  });

  it("garbage in requestState is rejected with -32602", async () => {
    const counters = { after: 0 };
    const h = await listen(confirmServer(counters));

    for (const requestState of ["not-a-state", "v1.e30.AAAA", 42]) {
      const reply = await post(h.endpoint, "tools/call", { name: "transfer", arguments: {}, inputResponses: YES, requestState });
      expect(reply.error?.code, JSON.stringify(requestState)).toBe(-32602);
    }
    expect(counters.after).toBe(0);
  });
});

describe("the modern request envelope over HTTP", () => {
  it("ctx.clientCapabilities reflects the capabilities declared on each request", async () => {
    const mcp = new FastMCP({ name: "Caps" });
    mcp.tool({ name: "caps" }, (_args, ctx) => Object.keys(ctx.clientCapabilities ?? {}).sort().join(","));
    const h = await listen(mcp);

    const a = await post(h.endpoint, "tools/call", { name: "caps", arguments: {} }, { sampling: {}, roots: {} });
    const b = await post(h.endpoint, "tools/call", { name: "caps", arguments: {} }, { elicitation: {} });

    expect(a.result?.content).toEqual([{ type: "text", text: "roots,sampling" }]);
    expect(b.result?.content).toEqual([{ type: "text", text: "elicitation" }]);
  });
});
