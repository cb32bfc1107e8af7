import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { FastMCP, type HttpHandle, type RunOptions } from "../src/index.js";
import { HttpFastPath } from "../src/protocol/http-fast.js";
import { initializeBody, LEGACY, legacyHeaders, modernRequest, postLegacy, postModern, readSseUntil } from "./fixtures/wire.js";

/**
 * What the node:http front (src/http/node-front.ts) and the HTTP fast path
 * (src/protocol/http-fast.ts) must keep of the endpoint's behaviour beyond
 * the answers themselves (those are held to the SDK path's by
 * test/http-fast-parity.test.ts): cancellation, the session's duplicate-id
 * guard, the request seen by handlers, and routes that are not theirs.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  vi.restoreAllMocks();
});

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function serve(mcp: FastMCP, options: RunOptions = {}): Promise<HttpHandle> {
  const handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0, ...options });
  cleanups.push(async () => {
    await handle.close();
    await mcp.close();
  });
  return handle;
}

/** Add `wait`: a tool that runs until its signal aborts. `started` and `aborted` say when each happened. */
function addWaitForAbort(mcp: FastMCP): { started: Promise<void>; aborted: Promise<string> } {
  const started = deferred();
  const aborted = deferred<string>();
  mcp.tool({ name: "wait" }, async (_args, ctx) => {
    started.resolve();
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    aborted.resolve("aborted");
    return "late";
  });
  return { started: started.promise, aborted: aborted.promise };
}

/** Counts the requests the fast path answered. */
function watchFastPath(): () => number {
  const spy = vi.spyOn(HttpFastPath.prototype as unknown as { start: () => void }, "start");
  return () => spy.mock.calls.length;
}

describe("the HTTP fast path", () => {
  it.each([
    { era: "modern", jsonResponse: false },
    { era: "modern", jsonResponse: true },
    { era: "legacy", jsonResponse: false },
    { era: "legacy", jsonResponse: true },
  ] as const)("aborts the handler's signal when the client goes away ($era era, jsonResponse $jsonResponse)", async ({ era, jsonResponse }) => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    const { started, aborted } = addWaitForAbort(mcp);
    const handle = await serve(mcp, { jsonResponse });
    const controller = new AbortController();
    const call =
      era === "modern"
        ? postModern(handle.endpoint, 1, "tools/call", { name: "wait", arguments: {} }, { signal: controller.signal })
        : postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "wait", arguments: {} } }, undefined, { signal: controller.signal });
    const settled = call.then((r) => r.text()).catch((e: unknown) => e);
    await started;
    expect(answered()).toBe(1);
    controller.abort();
    expect(await aborted).toBe("aborted");
    await settled;
  });

  it("refuses a second request with an id already in flight on a session, and takes the id again once it is answered", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    const release = deferred();
    mcp.tool({ name: "hold" }, async () => {
      await release.promise;
      return "held";
    });
    mcp.tool({ name: "quick" }, () => "quick");
    const handle = await serve(mcp, { sessions: {}, jsonResponse: true });
    const init = await postLegacy(handle.endpoint, initializeBody());
    await init.text();
    const sid = init.headers.get("mcp-session-id") ?? "";
    const call = (name: string) => postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: {} } }, sid);
    const first = call("hold");
    await vi.waitFor(() => expect(answered()).toBe(1));
    const clash = await call("quick");
    expect(clash.status).toBe(409);
    expect((await clash.json()).id).toBe(7);
    release.resolve();
    const held = await first;
    expect(held.headers.get("mcp-session-id")).toBe(sid);
    expect((await held.json()).result.content).toEqual([{ type: "text", text: "held" }]);
    const again = await call("quick");
    expect((await again.json()).result.content).toEqual([{ type: "text", text: "quick" }]);
    expect(answered()).toBe(2);
  });

  it("gives handlers the HTTP request, headers and all, built only when they read it", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "whoami", input: z.object({}) }, (_args, ctx) =>
      JSON.stringify({ tenant: ctx.request.headers.get("x-tenant"), method: ctx.request.raw?.method, url: ctx.request.raw?.url.endsWith("/mcp?x=1") }),
    );
    const handle = await serve(mcp);
    const response = await fetch(`${handle.endpoint}?x=1`, {
      method: "POST",
      headers: { ...legacyHeaders(), "x-tenant": "acme" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } }),
    });
    const text = await response.text();
    expect(answered()).toBe(1);
    expect(text).toContain(JSON.stringify(JSON.stringify({ tenant: "acme", method: "POST", url: true })).slice(1, -1));
  });

  it("leaves a custom POST route on the endpoint's path to that route", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "quick" }, () => "quick");
    mcp.route("POST", "/mcp", () => new Response("custom", { status: 299 }));
    const handle = await serve(mcp);
    const response = await postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "quick", arguments: {} } });
    expect(response.status).toBe(299);
    expect(await response.text()).toBe("custom");
    expect(answered()).toBe(0);
  });

  it("leaves browser requests to the hono app when CORS is configured, which adds its headers", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "quick" }, () => "quick");
    const handle = await serve(mcp, { cors: { origins: ["http://app.example"] }, allowedOrigins: ["http://app.example"], jsonResponse: true });
    const response = await fetch(handle.endpoint, {
      method: "POST",
      headers: { ...legacyHeaders(), origin: "http://app.example" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "quick", arguments: {} } }),
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://app.example");
    expect((await response.json()).result.content).toEqual([{ type: "text", text: "quick" }]);
    expect(answered()).toBe(0);
  });

  it("streams a tool's progress before its result to a modern client, and answers JSON when nothing comes first", async () => {
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "steps" }, async (_args, ctx) => {
      await ctx.progress(1, 2);
      return "stepped";
    });
    mcp.tool({ name: "quick" }, () => "quick");
    const handle = await serve(mcp);
    const { body, headers } = modernRequest(1, "tools/call", { name: "steps", arguments: {} });
    (body.params as { _meta: Record<string, unknown> })._meta.progressToken = "p";
    const streamed = await fetch(handle.endpoint, { method: "POST", headers, body: JSON.stringify(body) });
    expect(streamed.headers.get("content-type")).toBe("text/event-stream");
    const frames = (await streamed.text()).split("\n\n").filter((f) => f.startsWith("event: message"));
    expect(frames.map((f) => JSON.parse(f.split("data: ")[1] ?? "").method ?? "result")).toEqual(["notifications/progress", "result"]);
    const plain = await postModern(handle.endpoint, 2, "tools/call", { name: "quick", arguments: {} });
    expect(plain.headers.get("content-type")).toBe("application/json");
    expect((await plain.json()).result.content).toEqual([{ type: "text", text: "quick" }]);
  });

  it("keeps the legacy version a client names checked: an unknown one goes to the SDK path and is refused", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "quick" }, () => "quick");
    const handle = await serve(mcp, { jsonResponse: true });
    const response = await fetch(handle.endpoint, {
      method: "POST",
      headers: { ...legacyHeaders(), "mcp-protocol-version": "1999-01-01" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "quick", arguments: {} } }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Unsupported protocol version");
    expect(answered()).toBe(0);
    expect(LEGACY).not.toBe("1999-01-01");
  });
});

describe("cancellation on a session", () => {
  it("stops a fast-path call when the client sends notifications/cancelled, and frees its id", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    const { started, aborted } = addWaitForAbort(mcp);
    mcp.tool({ name: "quick" }, () => "quick");
    const handle = await serve(mcp, { sessions: {}, jsonResponse: true });
    const init = await postLegacy(handle.endpoint, initializeBody());
    await init.text();
    const sid = init.headers.get("mcp-session-id") ?? "";
    const controller = new AbortController();
    const call = postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "wait", arguments: {} } }, sid, { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    await started;
    expect(answered()).toBe(1);
    const cancel = await postLegacy(handle.endpoint, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9, reason: "changed my mind" } }, sid);
    expect(cancel.status).toBe(202);
    expect(await aborted).toBe("aborted");
    controller.abort();
    await call;
    const again = await postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "quick", arguments: {} } }, sid);
    expect((await again.json()).result.content).toEqual([{ type: "text", text: "quick" }]);
  });
});

describe("server-to-client requests from a fast-path call on a session", () => {
  it("go out on the session's standalone stream, and the call gets the client's answer", async () => {
    const answered = watchFastPath();
    const mcp = new FastMCP({ name: "front", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "confirm" }, async (_args, ctx) => {
      const r = await ctx.elicit("Sure?", z.object({ ok: z.boolean() }));
      return r.action === "accept" ? `ok=${String(r.data.ok)}` : r.action;
    });
    const handle = await serve(mcp, { sessions: {}, jsonResponse: true });
    const init = await postLegacy(handle.endpoint, initializeBody(0, { elicitation: {} }));
    await init.text();
    const sid = init.headers.get("mcp-session-id") ?? "";
    await (await postLegacy(handle.endpoint, { jsonrpc: "2.0", method: "notifications/initialized" }, sid)).text();
    const stream = await fetch(handle.endpoint, { headers: { accept: "text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": LEGACY } });
    expect(stream.status).toBe(200);
    const call = postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "confirm", arguments: {} } }, sid);
    const events = await readSseUntil(stream, (seen) => seen.some((e) => e.data.includes("elicitation/create")));
    const ask = JSON.parse(events.find((e) => e.data.includes("elicitation/create"))?.data ?? "{}") as { id: number };
    const reply = await postLegacy(handle.endpoint, { jsonrpc: "2.0", id: ask.id, result: { action: "accept", content: { ok: true } } }, sid);
    expect(reply.status).toBe(202);
    expect((await (await call).json()).result.content).toEqual([{ type: "text", text: "ok=true" }]);
    expect(answered()).toBe(1);
  });
});
