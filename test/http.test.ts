/**
 * The HTTP transport over real sockets (and, where said, without one): both
 * protocol eras, JSON and SSE answers, routes, mounting, DNS-rebinding and
 * CORS checks, response routing between clients, shutdown and disconnects.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP, type HttpHandle, type RunOptions } from "mcpkit";
import {
  deferred,
  firstText,
  httpClient,
  initializeBody,
  isConnectionRefused,
  LEGACY,
  legacyHeaders,
  MODERN,
  modernRequest,
  postLegacy,
  postModern,
  rawRequest,
  rpcMessages,
  rpcResponse,
  sleep,
} from "./fixtures/wire.js";

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A server with an echo tool, a progress tool and a slow echo, for most tests here. */
function server(): FastMCP {
  const mcp = new FastMCP({ name: "http-test", version: "1.0.0" });
  mcp.tool({ name: "echo", input: z.object({ text: z.string() }) }, ({ text }) => `echo: ${text}`);
  mcp.tool({ name: "progress", input: z.object({}) }, async (_args, ctx) => {
    await ctx.progress(1, 2, "half way");
    return "done";
  });
  mcp.tool({ name: "slowEcho", input: z.object({ who: z.string(), ms: z.number() }) }, async ({ who, ms }, ctx) => {
    await ctx.progress(0, 1, `working for ${who}`);
    await sleep(ms);
    return who;
  });
  cleanups.push(() => mcp.close());
  return mcp;
}

async function serve(mcp: FastMCP, options: RunOptions = {}): Promise<HttpHandle> {
  const handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0, ...options });
  cleanups.push(() => handle.close());
  return handle;
}

async function client(endpoint: string, mode: "legacy" | "auto", capabilities: Record<string, unknown> = {}): Promise<Client> {
  const c = await httpClient(endpoint, mode, capabilities);
  cleanups.push(() => c.close());
  return c;
}

/** An SDK client whose HTTP goes to a fetch function instead of a socket. */
async function clientOverFetch(url: string, fetchFn: (request: Request) => Response | Promise<Response>, mode: "legacy" | "auto"): Promise<Client> {
  const c = new Client({ name: "fetch-client", version: "1.0.0" }, { capabilities: {}, versionNegotiation: { mode } } as never);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: async (input, init) => fetchFn(new Request(input, init)),
  });
  await c.connect(transport as never);
  cleanups.push(() => c.close());
  return c;
}

describe("stateless HTTP, the default", () => {
  it("an SDK client in legacy mode lists and calls tools over the 2025 handshake", async () => {
    const handle = await serve(server());
    const c = await client(handle.endpoint, "legacy");
    expect(c.getNegotiatedProtocolVersion()).toBe(LEGACY);
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toEqual(["echo", "progress", "slowEcho"]);
    expect(firstText(await c.callTool({ name: "echo", arguments: { text: "legacy" } }))).toBe("echo: legacy");
  });

  it("an SDK client in auto mode negotiates the 2026-07-28 era and lists and calls tools", async () => {
    const handle = await serve(server());
    const c = await client(handle.endpoint, "auto");
    expect(c.getNegotiatedProtocolVersion()).toBe(MODERN);
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toContain("echo");
    expect(firstText(await c.callTool({ name: "echo", arguments: { text: "modern" } }))).toBe("echo: modern");
  });

  it("a stateless server mints no session id for a legacy initialize", async () => {
    const handle = await serve(server());
    const response = await postLegacy(handle.endpoint, initializeBody());
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect((await rpcResponse(response)).result.protocolVersion).toBe(LEGACY);
  });

  it("a legacy GET stream is refused with 405 when there are no sessions", async () => {
    const handle = await serve(server());
    const response = await fetch(handle.endpoint, { headers: { accept: "text/event-stream", "mcp-protocol-version": LEGACY } });
    expect(response.status).toBe(405);
    await response.body?.cancel();
  });
});

describe("JSON and SSE answers", () => {
  it("by default a legacy call is answered as an SSE stream carrying its progress, then its result", async () => {
    const handle = await serve(server());
    const response = await postLegacy(handle.endpoint, {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "progress", arguments: {}, _meta: { progressToken: "p1" } },
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const messages = await rpcMessages(response);
    expect(messages.map((m) => m.method ?? "response")).toEqual(["notifications/progress", "response"]);
    expect(messages[0]?.params).toMatchObject({ progressToken: "p1", progress: 1, total: 2 });
    expect(messages[1]).toMatchObject({ id: 3, result: { content: [{ type: "text", text: "done" }] } });
  });

  it("by default a modern call answers plain JSON, and streams SSE when it reports progress", async () => {
    const handle = await serve(server());
    const plain = await postModern(handle.endpoint, 1, "tools/call", { name: "echo", arguments: { text: "x" } });
    expect(plain.headers.get("content-type")).toContain("application/json");
    expect((await rpcResponse(plain)).result.content).toEqual([{ type: "text", text: "echo: x" }]);

    const { body, headers } = modernRequest(2, "tools/call", { name: "progress", arguments: {} });
    (body.params as { _meta: Record<string, unknown> })._meta.progressToken = "p2";
    const streamed = await fetch(handle.endpoint, { method: "POST", headers, body: JSON.stringify(body) });
    expect(streamed.headers.get("content-type")).toContain("text/event-stream");
    const messages = await rpcMessages(streamed);
    expect(messages.map((m) => m.method ?? "response")).toEqual(["notifications/progress", "response"]);
  });

  it("with jsonResponse every answer is plain JSON in both eras, mid-call notifications dropped", async () => {
    const handle = await serve(server(), { jsonResponse: true });
    const legacy = await postLegacy(handle.endpoint, {
      jsonrpc: "2.0",
      id: 4,
      method: "tools/call",
      params: { name: "progress", arguments: {}, _meta: { progressToken: "p3" } },
    });
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get("content-type")).toContain("application/json");
    expect(await rpcMessages(legacy)).toEqual([expect.objectContaining({ id: 4, result: expect.objectContaining({ content: [{ type: "text", text: "done" }] }) })]);

    const { body, headers } = modernRequest(5, "tools/call", { name: "progress", arguments: {} });
    (body.params as { _meta: Record<string, unknown> })._meta.progressToken = "p4";
    const modern = await fetch(handle.endpoint, { method: "POST", headers, body: JSON.stringify(body) });
    expect(modern.headers.get("content-type")).toContain("application/json");
    expect(await rpcMessages(modern)).toEqual([expect.objectContaining({ id: 5, result: expect.objectContaining({ content: [{ type: "text", text: "done" }] }) })]);
  });

  it("with jsonResponse an SDK client still works in both modes", async () => {
    const handle = await serve(server(), { jsonResponse: true });
    for (const mode of ["legacy", "auto"] as const) {
      const c = await client(handle.endpoint, mode);
      expect(firstText(await c.callTool({ name: "echo", arguments: { text: mode } }))).toBe(`echo: ${mode}`);
    }
  });
});

describe("routes beside the MCP endpoint", () => {
  it("the health route answers JSON with the server's name", async () => {
    const handle = await serve(server());
    const response = await fetch(`${handle.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({ status: "ok", server: "http-test" });
  });

  it("healthPath moves the health route, and false removes it", async () => {
    const moved = await serve(server(), { healthPath: "/livez" });
    expect((await fetch(`${moved.url}/livez`)).status).toBe(200);
    expect((await fetch(`${moved.url}/health`)).status).toBe(404);
    const none = await serve(server(), { healthPath: false });
    expect((await fetch(`${none.url}/health`)).status).toBe(404);
  });

  it("a custom route added with mcp.route is served for its method and path only", async () => {
    const mcp = server();
    mcp.route("GET", "/hello", (request) => Response.json({ hello: new URL(request.url).searchParams.get("name") }));
    const handle = await serve(mcp);
    const response = await fetch(`${handle.url}/hello?name=Ada`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: "Ada" });
    expect((await fetch(`${handle.url}/hello`, { method: "POST" })).status).toBe(404);
    // The MCP endpoint is untouched.
    expect((await rpcResponse(await postModern(handle.endpoint, 1, "tools/list"))).result.tools).toHaveLength(3);
  });

  it("the path option moves the MCP endpoint", async () => {
    const handle = await serve(server(), { path: "/rpc" });
    expect(handle.endpoint).toBe(`${handle.url}/rpc`);
    expect((await rpcResponse(await postModern(handle.endpoint, 1, "tools/list"))).result.tools).toHaveLength(3);
    expect((await postModern(`${handle.url}/mcp`, 1, "tools/list")).status).toBe(404);
  });
});

describe("serving without a socket", () => {
  it("mcp.fetch answers a web-standard Request directly", async () => {
    const mcp = server();
    const { body, headers } = modernRequest(1, "tools/call", { name: "echo", arguments: { text: "no socket" } });
    const response = await mcp.fetch(new Request("http://mcpkit.test/mcp", { method: "POST", headers, body: JSON.stringify(body) }));
    expect(response.status).toBe(200);
    expect((await rpcResponse(response)).result.content).toEqual([{ type: "text", text: "echo: no socket" }]);
    const health = await mcp.fetch(new Request("http://mcpkit.test/health"));
    expect(await health.json()).toEqual({ status: "ok", server: "http-test" });
  });

  it("an SDK client talks to mcp.fetch in both modes", async () => {
    const mcp = server();
    for (const mode of ["legacy", "auto"] as const) {
      const c = await clientOverFetch("http://mcpkit.test/mcp", mcp.fetch, mode);
      expect(firstText(await c.callTool({ name: "echo", arguments: { text: mode } }))).toBe(`echo: ${mode}`);
    }
  });

  it("mcp.http() mounted in another Hono app serves MCP, health and custom routes beside the app's own", async () => {
    const mcp = server();
    mcp.route("GET", "/hello", () => new Response("hello from mcpkit"));
    const app = new Hono();
    app.get("/outer", (c) => c.text("outer app"));
    const inner = mcp.http();
    // The same hono the app was built with, though mcpkit loads its own lazily.
    expect(inner).toBeInstanceOf(Hono);
    app.route("/", inner);
    expect(await (await app.fetch(new Request("http://app.test/outer"))).text()).toBe("outer app");
    expect(await (await app.fetch(new Request("http://app.test/hello"))).text()).toBe("hello from mcpkit");
    expect((await app.fetch(new Request("http://app.test/health"))).status).toBe(200);
    for (const mode of ["legacy", "auto"] as const) {
      const c = await clientOverFetch("http://app.test/mcp", (request) => app.fetch(request), mode);
      expect(firstText(await c.callTool({ name: "echo", arguments: { text: "mounted" } }))).toBe("echo: mounted");
    }
  });

  it("mcp.http() mounted under a prefix serves the endpoint under that prefix, on a real socket too", async () => {
    const mcp = server();
    const app = new Hono();
    app.route("/api", mcp.http());
    const { body, headers } = modernRequest(1, "tools/call", { name: "echo", arguments: { text: "prefixed" } });
    const response = await app.fetch(new Request("http://app.test/api/mcp", { method: "POST", headers, body: JSON.stringify(body) }));
    expect((await rpcResponse(response)).result.content).toEqual([{ type: "text", text: "echo: prefixed" }]);
    expect((await app.fetch(new Request("http://app.test/mcp", { method: "POST", headers, body: JSON.stringify(body) }))).status).toBe(404);

    const { serve: nodeServe } = await import("@hono/node-server");
    const listening = deferred<number>();
    const node = nodeServe({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => listening.resolve(info.port));
    cleanups.push(() => new Promise<void>((resolve) => node.close(() => resolve())));
    const port = await listening.promise;
    const c = await client(`http://127.0.0.1:${port}/api/mcp`, "legacy");
    expect(firstText(await c.callTool({ name: "echo", arguments: { text: "over node" } }))).toBe("echo: over node");
  });
});

describe("responses never cross between clients (stateless)", () => {
  it.each(["modern", "legacy"] as const)("two %s clients sending the same JSON-RPC id at once each get their own answer", async (era) => {
    const handle = await serve(server());
    const call = (who: string, ms: number) =>
      era === "modern"
        ? postModern(handle.endpoint, 1, "tools/call", { name: "slowEcho", arguments: { who, ms } })
        : postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slowEcho", arguments: { who, ms } } });
    for (let round = 0; round < 5; round++) {
      // The first caller finishes last, so a shared id table would hand it the second's answer.
      const [a, b] = await Promise.all([call("client-A", 40), call("client-B", 5)]);
      const [ra, rb] = await Promise.all([rpcResponse(a), rpcResponse(b)]);
      expect(ra).toMatchObject({ id: 1, result: { content: [{ type: "text", text: "client-A" }] } });
      expect(rb).toMatchObject({ id: 1, result: { content: [{ type: "text", text: "client-B" }] } });
    }
  });

  it.each(["legacy", "auto"] as const)(
    "twenty SDK clients in %s mode with identical id sequences see only their own results and progress",
    async (mode) => {
      const handle = await serve(server());
      const clients = await Promise.all(Array.from({ length: 20 }, () => client(handle.endpoint, mode)));
      for (let round = 0; round < 3; round++) {
        await Promise.all(
          clients.map(async (c, i) => {
            const who = `client-${i}`;
            const progress: string[] = [];
            const result = await c.callTool(
              { name: "slowEcho", arguments: { who, ms: (i * 7) % 25 } },
              { onprogress: (p) => progress.push(String(p.message)) },
            );
            expect(firstText(result)).toBe(who);
            expect(progress).toEqual([`working for ${who}`]);
          }),
        );
      }
    },
  );
});

describe("DNS-rebinding protection", () => {
  function countingServer(): { mcp: FastMCP; calls: () => number } {
    const mcp = server();
    let calls = 0;
    mcp.tool({ name: "count" }, () => String(++calls));
    return { mcp, calls: () => calls };
  }

  const callCount = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "count", arguments: {} } });

  it("on the default loopback bind a foreign Host header is refused with 403 and nothing runs", async () => {
    const { mcp, calls } = countingServer();
    const handle = await serve(mcp);
    const port = new URL(handle.url).port;
    const response = await rawRequest(handle.endpoint, { method: "POST", headers: { ...legacyHeaders(), host: `evil.example:${port}` }, body: callCount });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ jsonrpc: "2.0", error: { message: expect.stringMatching(/host/i) } });
    expect(calls()).toBe(0);
  });

  it("on the default loopback bind a foreign Origin is refused with 403 and nothing runs", async () => {
    const { mcp, calls } = countingServer();
    const handle = await serve(mcp);
    const response = await rawRequest(handle.endpoint, { method: "POST", headers: { ...legacyHeaders(), origin: "http://evil.example" }, body: callCount });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { message: expect.stringMatching(/origin/i) } });
    // A localhost Host does not launder a foreign Origin.
    const port = new URL(handle.url).port;
    const mixed = await rawRequest(handle.endpoint, {
      method: "POST",
      headers: { ...legacyHeaders(), host: `localhost:${port}`, origin: "http://evil.example" },
      body: callCount,
    });
    expect(mixed.status).toBe(403);
    expect(calls()).toBe(0);
  });

  it("on the default loopback bind the health route and custom routes refuse a foreign Host too", async () => {
    const mcp = server();
    mcp.route("GET", "/hello", () => new Response("hi"));
    const handle = await serve(mcp);
    const port = new URL(handle.url).port;
    for (const path of ["/health", "/hello"]) {
      const foreign = await rawRequest(`${handle.url}${path}`, { method: "GET", headers: { host: `evil.example:${port}` } });
      expect(foreign.status, path).toBe(403);
      const local = await rawRequest(`${handle.url}${path}`, { method: "GET", headers: { host: `localhost:${port}` } });
      expect(local.status, path).toBe(200);
    }
  });

  it("localhost, 127.0.0.1 and [::1] Host headers pass, with a localhost Origin or none", async () => {
    const { mcp, calls } = countingServer();
    const handle = await serve(mcp);
    const port = new URL(handle.url).port;
    const cases: Record<string, string>[] = [
      { host: `localhost:${port}` },
      { host: `127.0.0.1:${port}` },
      { host: `[::1]:${port}` },
      { host: `localhost:${port}`, origin: "http://localhost:5173" },
      { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` },
    ];
    for (const extra of cases) {
      const response = await rawRequest(handle.endpoint, { method: "POST", headers: { ...legacyHeaders(), ...extra }, body: callCount });
      expect(response.status, JSON.stringify(extra)).toBe(200);
    }
    expect(calls()).toBe(cases.length);
  });

  it("explicit allowedHosts replace the localhost defaults", async () => {
    const handle = await serve(server(), { allowedHosts: ["mcp.example"] });
    const port = new URL(handle.url).port;
    const send = (headers: Record<string, string>) =>
      rawRequest(handle.endpoint, { method: "POST", headers: { ...legacyHeaders(), ...headers }, body: JSON.stringify(initializeBody()) });
    expect((await send({ host: `mcp.example:${port}` })).status).toBe(200);
    expect((await send({ host: `mcp.example:${port}`, origin: "http://mcp.example" })).status).toBe(200);
    expect((await send({ host: `localhost:${port}` })).status).toBe(403);
    expect((await send({ host: `evil.example:${port}` })).status).toBe(403);
    expect((await send({ host: `mcp.example:${port}`, origin: "http://evil.example" })).status).toBe(403);
  });

  it("allowedOrigins admits a named browser origin on a loopback bind", async () => {
    const handle = await serve(server(), { allowedOrigins: ["https://app.example"] });
    const send = (origin: string) =>
      rawRequest(handle.endpoint, { method: "POST", headers: { ...legacyHeaders(), origin }, body: JSON.stringify(initializeBody()) });
    expect((await send("https://app.example")).status).toBe(200);
    expect((await send("https://other.example")).status).toBe(403);
  });
});

describe("CORS", () => {
  const preflight = (endpoint: string, origin: string) =>
    rawRequest(endpoint, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, mcp-protocol-version" },
    });

  it("a preflight from the configured origin gets the allow headers for that origin", async () => {
    const handle = await serve(server(), { cors: { origins: ["http://app.example"] } });
    const response = await preflight(handle.endpoint, "http://app.example");
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("http://app.example");
    expect(response.headers["access-control-allow-methods"]).toContain("POST");
    const allowed = String(response.headers["access-control-allow-headers"]).split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "mcp-protocol-version", "mcp-session-id", "last-event-id"]));
  });

  it("a preflight from any other origin gets no allow headers", async () => {
    const handle = await serve(server(), { cors: { origins: ["http://app.example"] } });
    for (const origin of ["http://evil.example", "http://app.example.evil.example", "null"]) {
      const response = await preflight(handle.endpoint, origin);
      expect(response.status, origin).toBeGreaterThanOrEqual(400);
      expect(response.headers["access-control-allow-origin"], origin).toBeUndefined();
    }
  });

  it("an actual request from the configured origin is served and its answer carries the CORS headers", async () => {
    const handle = await serve(server(), { cors: { origins: ["http://app.example"] } });
    const response = await rawRequest(handle.endpoint, {
      method: "POST",
      headers: { ...legacyHeaders(), origin: "http://app.example" },
      body: JSON.stringify(initializeBody()),
    });
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("http://app.example");
    expect(String(response.headers["access-control-expose-headers"])).toContain("mcp-session-id");
    const other = await rawRequest(handle.endpoint, {
      method: "POST",
      headers: { ...legacyHeaders(), origin: "http://evil.example" },
      body: JSON.stringify(initializeBody()),
    });
    expect(other.status).toBe(403);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("without cors configured no CORS headers are sent", async () => {
    const handle = await serve(server());
    const response = await rawRequest(handle.endpoint, { method: "POST", headers: legacyHeaders(), body: JSON.stringify(initializeBody()) });
    expect(response.status).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("graceful shutdown", () => {
  function gatedServer() {
    const mcp = server();
    const started = deferred();
    const release = deferred();
    mcp.tool({ name: "gated" }, async () => {
      started.resolve();
      await release.promise;
      return "finished after close began";
    });
    return { mcp, started, release };
  }

  it("handle.close() lets an in-flight modern call deliver its result, while new connections are refused", async () => {
    const { mcp, started, release } = gatedServer();
    const handle = await serve(mcp);
    const inFlight = postModern(handle.endpoint, 1, "tools/call", { name: "gated", arguments: {} });
    await started.promise;
    const closing = handle.close();
    const refused = await rawRequest(handle.endpoint, { method: "POST", headers: legacyHeaders(), body: JSON.stringify(initializeBody()) }).catch((e: unknown) => e);
    expect(isConnectionRefused(refused)).toBe(true);
    release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect((await rpcResponse(response)).result.content).toEqual([{ type: "text", text: "finished after close began" }]);
    await closing;
    const after = await fetch(handle.endpoint, { method: "POST", headers: legacyHeaders(), body: "{}" }).catch((e: unknown) => e);
    expect(isConnectionRefused(after)).toBe(true);
  });

  it("mcp.close() lets an in-flight legacy SSE call reach the SDK client", async () => {
    const { mcp, started, release } = gatedServer();
    const handle = await serve(mcp);
    const c = await client(handle.endpoint, "legacy");
    const result = c.callTool({ name: "gated", arguments: {} });
    await started.promise;
    const closing = mcp.close();
    release.resolve();
    expect(firstText(await result)).toBe("finished after close began");
    await closing;
    const after = await fetch(`${handle.url}/health`).catch((e: unknown) => e);
    expect(isConnectionRefused(after)).toBe(true);
  });
});

describe("client disconnect", () => {
  function abortWatchingServer() {
    const mcp = server();
    const started = deferred();
    const aborted = deferred<string>();
    mcp.tool({ name: "waitForAbort" }, async (_args, ctx) => {
      started.resolve();
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      aborted.resolve("handler saw abort");
      return "aborted";
    });
    return { mcp, started, aborted };
  }

  const cases = [
    { era: "modern", jsonResponse: false },
    { era: "legacy", jsonResponse: false },
    { era: "legacy", jsonResponse: true },
  ] as const;

  it.each(cases)("aborting the HTTP request aborts the handler's ctx.signal ($era era, jsonResponse $jsonResponse)", async ({ era, jsonResponse }) => {
    const { mcp, started, aborted } = abortWatchingServer();
    const handle = await serve(mcp, { jsonResponse });
    const controller = new AbortController();
    const request =
      era === "modern"
        ? postModern(handle.endpoint, 1, "tools/call", { name: "waitForAbort", arguments: {} }, { signal: controller.signal })
        : postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "waitForAbort", arguments: {} } }, undefined, {
            signal: controller.signal,
          });
    // Consume whatever arrives so an early SSE response does not hold the socket.
    const settled = request.then((r) => r.text()).catch((e: unknown) => e);
    await started.promise;
    controller.abort();
    expect(await aborted.promise).toBe("handler saw abort");
    await settled;
    // The server keeps serving.
    expect((await rpcResponse(await postModern(handle.endpoint, 2, "tools/call", { name: "echo", arguments: { text: "still here" } }))).result.content).toEqual([
      { type: "text", text: "echo: still here" },
    ]);
  });
});

describe("the request context over HTTP", () => {
  for (const mode of ["legacy", "auto"] as const) {
    it(`gives handlers the HTTP headers and the raw request (${mode})`, async () => {
      const mcp = server();
      mcp.tool({ name: "whoami", input: z.object({}) }, (_args, ctx) =>
        JSON.stringify({
          tenant: ctx.request.headers.get("x-tenant"),
          transport: ctx.request.transport,
          isRequest: ctx.request.raw instanceof Request,
          method: ctx.request.raw?.method,
        }),
      );
      const handle = await serve(mcp);
      const c = new Client({ name: "headers", version: "1.0.0" }, { versionNegotiation: { mode } } as never);
      await c.connect(
        new StreamableHTTPClientTransport(new URL(handle.endpoint), { requestInit: { headers: { "x-tenant": "acme" } } }) as never,
      );
      cleanups.push(() => c.close());

      const result = await c.callTool({ name: "whoami", arguments: {} });

      expect(JSON.parse(firstText(result))).toEqual({ tenant: "acme", transport: "http", isRequest: true, method: "POST" });
    });
  }
});
