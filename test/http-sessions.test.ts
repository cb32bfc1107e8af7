/**
 * Sessionful legacy (2025-era) HTTP over real sockets: the session lifecycle
 * and its bounds, server-to-client requests, response routing between
 * sessions, and resumable SSE streams (`Last-Event-ID`).
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP, InMemoryEventStore, type EventStore, type HttpHandle, type RunOptions, type SessionSettings } from "mcpkit";
import {
  deferred,
  firstText,
  httpClient,
  initializeBody,
  LEGACY,
  legacyHeaders,
  MODERN,
  postLegacy,
  postModern,
  readSseUntil,
  rpcMessages,
  rpcResponse,
  sleep,
  type SseEvent,
} from "./fixtures/wire.js";

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function server(): FastMCP {
  const mcp = new FastMCP({ name: "sessions-test", version: "1.0.0" });
  mcp.tool({ name: "echo", input: z.object({ text: z.string() }) }, ({ text }) => `echo: ${text}`);
  mcp.tool({ name: "slowEcho", input: z.object({ who: z.string(), ms: z.number() }) }, async ({ who, ms }, ctx) => {
    await ctx.progress(0, 1, `working for ${who}`);
    await sleep(ms);
    return who;
  });
  mcp.tool({ name: "whoami" }, (_args, ctx) => ctx.session?.id ?? "no session");
  mcp.tool({ name: "ask" }, async (_args, ctx) => {
    const answer = await ctx.elicit("What is your name?", z.object({ name: z.string() }));
    return answer.action === "accept" ? `hello ${answer.data.name} (${ctx.request.era})` : `no name (${answer.action})`;
  });
  mcp.tool({ name: "chatty" }, async (_args, ctx) => {
    for (let i = 1; i <= 3; i++) await ctx.info(`note ${i}`);
    return "chatty done";
  });
  cleanups.push(() => mcp.close());
  return mcp;
}

async function serve(mcp: FastMCP, sessions: SessionSettings = {}, options: RunOptions = {}): Promise<HttpHandle> {
  const handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0, sessions, ...options });
  cleanups.push(() => handle.close());
  return handle;
}

async function client(endpoint: string, mode: "legacy" | "auto", capabilities: Record<string, unknown> = {}): Promise<Client> {
  const c = await httpClient(endpoint, mode, capabilities);
  cleanups.push(() => c.close());
  return c;
}

/** Initialize a session over raw fetch and return its id. */
async function openSession(endpoint: string): Promise<string> {
  const response = await postLegacy(endpoint, initializeBody());
  expect(response.status).toBe(200);
  await response.text();
  const sessionId = response.headers.get("mcp-session-id");
  if (sessionId === null) throw new Error("no Mcp-Session-Id on the initialize response");
  const initialized = await postLegacy(endpoint, { jsonrpc: "2.0", method: "notifications/initialized" }, sessionId);
  expect(initialized.status).toBe(202);
  await initialized.text();
  return sessionId;
}

function listTools(endpoint: string, sessionId?: string, id: number = 1): Promise<Response> {
  return postLegacy(endpoint, { jsonrpc: "2.0", id, method: "tools/list" }, sessionId);
}

async function statusOf(response: Response): Promise<number> {
  await response.text();
  return response.status;
}

describe("the session lifecycle", () => {
  it("initialize returns an Mcp-Session-Id of visible ASCII, and requests carrying it are served", async () => {
    const handle = await serve(server());
    const sessionId = await openSession(handle.endpoint);
    expect(sessionId).toMatch(/^[\x21-\x7e]{16,}$/);
    const response = await listTools(handle.endpoint, sessionId);
    expect(response.status).toBe(200);
    expect((await rpcResponse(response)).result.tools.map((t: { name: string }) => t.name)).toContain("echo");
    const who = await rpcResponse(await postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "whoami", arguments: {} } }, sessionId));
    expect(who.result.content).toEqual([{ type: "text", text: sessionId }]);
  });

  it("each initialize mints a different session id", async () => {
    const handle = await serve(server());
    const ids = await Promise.all([1, 2, 3].map(() => openSession(handle.endpoint)));
    expect(new Set(ids).size).toBe(3);
  });

  it("a request without Mcp-Session-Id is answered 400", async () => {
    const handle = await serve(server());
    await openSession(handle.endpoint);
    const response = await listTools(handle.endpoint);
    expect(response.status).toBe(400);
    expect(await rpcResponse(response)).toMatchObject({ error: { message: expect.stringMatching(/session/i) } });
    const stream = await fetch(handle.endpoint, { headers: { accept: "text/event-stream", "mcp-protocol-version": LEGACY } });
    expect(await statusOf(stream)).toBe(400);
  });

  it("an unknown session id is answered 404", async () => {
    const handle = await serve(server());
    const response = await listTools(handle.endpoint, "00000000-0000-0000-0000-000000000000");
    expect(response.status).toBe(404);
    expect(await rpcResponse(response)).toMatchObject({ error: { code: -32001 } });
  });

  it("DELETE ends the session and later requests with its id get 404", async () => {
    const handle = await serve(server());
    const sessionId = await openSession(handle.endpoint);
    const other = await openSession(handle.endpoint);
    const deleted = await fetch(handle.endpoint, { method: "DELETE", headers: legacyHeaders(sessionId) });
    expect(await statusOf(deleted)).toBe(200);
    expect(await statusOf(await listTools(handle.endpoint, sessionId))).toBe(404);
    expect(await statusOf(await fetch(handle.endpoint, { method: "DELETE", headers: legacyHeaders(sessionId) }))).toBe(404);
    // Other sessions are untouched.
    expect(await statusOf(await listTools(handle.endpoint, other))).toBe(200);
  });

  it("the SDK transport's terminateSession() ends its session on the server", async () => {
    const handle = await serve(server());
    const transport = new StreamableHTTPClientTransport(new URL(handle.endpoint));
    const c = new Client({ name: "closer", version: "1.0.0" }, { capabilities: {} });
    await c.connect(transport as never);
    const sessionId = transport.sessionId;
    expect(sessionId).toBeDefined();
    await transport.terminateSession();
    await c.close();
    expect(await statusOf(await listTools(handle.endpoint, sessionId))).toBe(404);
  });

  it("past maxSessions a new initialize is refused with 503 and Retry-After, and ending a session makes room", async () => {
    const handle = await serve(server(), { maxSessions: 2 });
    const first = await openSession(handle.endpoint);
    await openSession(handle.endpoint);
    const refused = await postLegacy(handle.endpoint, initializeBody());
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(refused.headers.get("mcp-session-id")).toBeNull();
    expect(await rpcResponse(refused)).toMatchObject({ error: { message: expect.stringMatching(/sessions/i) } });
    // Existing sessions keep working, and modern (sessionless) requests are not counted.
    expect(await statusOf(await listTools(handle.endpoint, first))).toBe(200);
    expect(await statusOf(await postModern(handle.endpoint, 1, "tools/list"))).toBe(200);
    await statusOf(await fetch(handle.endpoint, { method: "DELETE", headers: legacyHeaders(first) }));
    await openSession(handle.endpoint);
  });

  it("an idle session is closed after idleTimeoutMs and its id then gets 404", async () => {
    const handle = await serve(server(), { idleTimeoutMs: 100 });
    const idle = await openSession(handle.endpoint);
    // Probing refreshes the session, so wait longer than the timeout plus the
    // reaper's period between probes; give up after many rounds.
    let status = 200;
    for (let round = 0; round < 10 && status !== 404; round++) {
      await sleep(1_500);
      status = await statusOf(await listTools(handle.endpoint, idle));
    }
    expect(status).toBe(404);
    // The server still opens new sessions afterwards.
    expect(await statusOf(await listTools(handle.endpoint, await openSession(handle.endpoint)))).toBe(200);
  });

  it("a session is not reaped while one of its calls is still running", async () => {
    const handle = await serve(server(), { idleTimeoutMs: 100 });
    const c = await client(handle.endpoint, "legacy");
    // The call outlasts the idle timeout and at least one reaper pass (every second at most).
    const result = await c.callTool({ name: "slowEcho", arguments: { who: "patient", ms: 2_500 } });
    expect(firstText(result)).toBe("patient");
  });

  it("modern requests are served statelessly beside legacy sessions on the same endpoint", async () => {
    const handle = await serve(server());
    await openSession(handle.endpoint);
    const modern = await client(handle.endpoint, "auto");
    expect(modern.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(firstText(await modern.callTool({ name: "whoami", arguments: {} }))).toBe("no session");
    const legacy = await client(handle.endpoint, "legacy");
    expect(firstText(await legacy.callTool({ name: "whoami", arguments: {} }))).toMatch(/^[\x21-\x7e]{16,}$/);
  });
});

describe("server-to-client requests", () => {
  it("elicitation over sessionful HTTP reaches the SDK client and its answer reaches the tool", async () => {
    const handle = await serve(server());
    const c = await client(handle.endpoint, "legacy", { elicitation: { form: {} } });
    const asked: string[] = [];
    c.setRequestHandler("elicitation/create", async (request) => {
      asked.push(String(request.params.message));
      return { action: "accept", content: { name: "Ada" } };
    });
    expect(firstText(await c.callTool({ name: "ask", arguments: {} }))).toBe("hello Ada (legacy)");
    expect(asked).toEqual(["What is your name?"]);
  });

  it("a declined elicitation over sessionful HTTP reaches the tool as declined", async () => {
    const handle = await serve(server());
    const c = await client(handle.endpoint, "legacy", { elicitation: { form: {} } });
    c.setRequestHandler("elicitation/create", async () => ({ action: "decline" }));
    expect(firstText(await c.callTool({ name: "ask", arguments: {} }))).toBe("no name (decline)");
  });

  it("in stateless legacy mode the same tool fails at once with an error that mentions sessions", async () => {
    const mcp = server();
    const handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0 });
    cleanups.push(() => handle.close());
    const c = await client(handle.endpoint, "legacy", { elicitation: { form: {} } });
    let asked = false;
    c.setRequestHandler("elicitation/create", async () => {
      asked = true;
      return { action: "accept", content: { name: "Ada" } };
    });
    const result = await c.callTool({ name: "ask", arguments: {} });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toMatch(/session/i);
    expect(asked).toBe(false);
  });

  it("a modern client gets the same elicitation on a stateless server, as an input_required round trip", async () => {
    const mcp = server();
    const handle = await mcp.listen({ transport: "http", host: "127.0.0.1", port: 0 });
    cleanups.push(() => handle.close());
    const c = await client(handle.endpoint, "auto", { elicitation: { form: {} } });
    c.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { name: "Grace" } }));
    expect(firstText(await c.callTool({ name: "ask", arguments: {} }))).toBe("hello Grace (modern)");
  });
});

describe("responses never cross between sessions", () => {
  it("two sessions sending the same JSON-RPC id at once each get their own answer", async () => {
    const handle = await serve(server());
    const [a, b] = await Promise.all([openSession(handle.endpoint), openSession(handle.endpoint)]);
    const call = (sessionId: string, who: string, ms: number) =>
      postLegacy(handle.endpoint, { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "slowEcho", arguments: { who, ms }, _meta: { progressToken: 1 } } }, sessionId);
    for (let round = 0; round < 5; round++) {
      const [ra, rb] = await Promise.all([call(a, "session-A", 40), call(b, "session-B", 5)]);
      const [ma, mb] = await Promise.all([rpcMessages(ra), rpcMessages(rb)]);
      expect(ma.find((m) => m.id === 1)).toMatchObject({ result: { content: [{ type: "text", text: "session-A" }] } });
      expect(mb.find((m) => m.id === 1)).toMatchObject({ result: { content: [{ type: "text", text: "session-B" }] } });
      // Progress, too, goes only to its own caller.
      expect(ma.filter((m) => m.method === "notifications/progress").map((m) => m.params.message)).toEqual(["working for session-A"]);
      expect(mb.filter((m) => m.method === "notifications/progress").map((m) => m.params.message)).toEqual(["working for session-B"]);
    }
  });

  it("within one session a second request reusing an in-flight id is refused with 409, and the first still gets its answer", async () => {
    const mcp = server();
    const release = deferred();
    mcp.tool({ name: "gated" }, async () => {
      await release.promise;
      return "first";
    });
    const handle = await serve(mcp);
    const sessionId = await openSession(handle.endpoint);
    const call = (name: string, args: Record<string, unknown>, id: string | number = 7) =>
      postLegacy(handle.endpoint, { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } }, sessionId);
    // A legacy POST answers with SSE headers at once; the call itself waits for the gate.
    const first = await call("gated", {});
    const duplicate = await call("echo", { text: "second" });
    expect(duplicate.status).toBe(409);
    expect(await rpcResponse(duplicate)).toMatchObject({ id: 7, error: { code: -32600 } });
    // The same number as a string is a different id.
    expect((await rpcResponse(await call("echo", { text: "as string" }, "7"))).result.content).toEqual([{ type: "text", text: "echo: as string" }]);
    release.resolve();
    expect(await rpcResponse(first)).toMatchObject({ id: 7, result: { content: [{ type: "text", text: "first" }] } });
    // Once answered, the id is free again.
    expect((await rpcResponse(await call("echo", { text: "again" }))).result.content).toEqual([{ type: "text", text: "echo: again" }]);
  });

  it("twenty SDK clients on their own sessions with identical id sequences see only their own results and progress", async () => {
    const handle = await serve(server());
    const clients = await Promise.all(Array.from({ length: 20 }, () => client(handle.endpoint, "legacy")));
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        clients.map(async (c, i) => {
          const who = `client-${i}`;
          const progress: string[] = [];
          const result = await c.callTool({ name: "slowEcho", arguments: { who, ms: (i * 7) % 25 } }, { onprogress: (p) => progress.push(String(p.message)) });
          expect(firstText(result)).toBe(who);
          expect(progress).toEqual([`working for ${who}`]);
        }),
      );
    }
  });
});

describe("InMemoryEventStore", () => {
  const note = (text: string) => ({ jsonrpc: "2.0" as const, method: "notifications/message", params: { level: "info", data: text } });

  async function replay(store: InMemoryEventStore, after: string): Promise<{ stream: string; sent: { id: string; data: unknown }[] }> {
    const sent: { id: string; data: unknown }[] = [];
    const stream = await store.replayEventsAfter(after, {
      send: async (id, message) => {
        sent.push({ id, data: (message as unknown as { params: { data: unknown } }).params.data });
      },
    });
    return { stream, sent };
  }

  it("replays only the events after the given id, and only from that id's stream, in order", async () => {
    const store = new InMemoryEventStore();
    const a1 = await store.storeEvent("A", note("a1"));
    await store.storeEvent("B", note("b1"));
    const a2 = await store.storeEvent("A", note("a2"));
    await store.storeEvent("B", note("b2"));
    const a3 = await store.storeEvent("A", note("a3"));
    const { stream, sent } = await replay(store, a1);
    expect(stream).toBe("A");
    expect(sent).toEqual([
      { id: a2, data: "a2" },
      { id: a3, data: "a3" },
    ]);
    expect((await replay(store, a3)).sent).toEqual([]);
  });

  it("names the stream of a known event id and nothing for an unknown one", async () => {
    const store = new InMemoryEventStore();
    const id = await store.storeEvent("S", note("x"));
    expect(await store.getStreamIdForEventId(id)).toBe("S");
    expect(await store.getStreamIdForEventId("S:zzz")).toBeUndefined();
    await expect(replay(store, "no-such-event")).rejects.toThrow(/unknown/i);
  });

  it("keeps at most maxEvents: an expired id can no longer be replayed from, a kept one still can", async () => {
    const store = new InMemoryEventStore(3);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await store.storeEvent("S", note(`e${i}`)));
    await expect(replay(store, ids[0] as string)).rejects.toThrow();
    expect(await store.getStreamIdForEventId(ids[1] as string)).toBeUndefined();
    expect((await replay(store, ids[2] as string)).sent.map((e) => e.data)).toEqual(["e3", "e4"]);
  });
});

describe("resumable SSE streams", () => {
  const resumeHeaders = (sessionId: string, lastEventId: string) => ({
    accept: "text/event-stream",
    "mcp-session-id": sessionId,
    "mcp-protocol-version": LEGACY,
    "last-event-id": lastEventId,
  });

  const hasResult = (events: SseEvent[]) => events.some((e) => e.data.includes('"result"'));

  async function chattyCall(endpoint: string, sessionId: string): Promise<SseEvent[]> {
    const setLevel = await postLegacy(endpoint, { jsonrpc: "2.0", id: 1, method: "logging/setLevel", params: { level: "info" } }, sessionId);
    await setLevel.text();
    const call = await postLegacy(endpoint, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "chatty", arguments: {} } }, sessionId);
    expect(call.headers.get("content-type")).toContain("text/event-stream");
    return readSseUntil(call, hasResult);
  }

  it("a GET with Last-Event-ID replays only the later events of that call's stream", async () => {
    const handle = await serve(server());
    const sessionId = await openSession(handle.endpoint);
    const events = await chattyCall(handle.endpoint, sessionId);
    const first = events.find((e) => e.data.includes("note 1"));
    expect(first?.id).toBeDefined();
    const resumed = await fetch(handle.endpoint, { headers: resumeHeaders(sessionId, first?.id as string) });
    expect(resumed.status).toBe(200);
    const replayed = (await readSseUntil(resumed, hasResult)).filter((e) => e.data !== "");
    expect(replayed.map((e) => JSON.parse(e.data) as Record<string, any>).map((m) => m.params?.data ?? m.result?.content[0].text)).toEqual([
      "note 2",
      "note 3",
      "chatty done",
    ]);
    expect(replayed.map((e) => e.id)).toEqual(events.filter((e) => e.data !== "").slice(1).map((e) => e.id));
  });

  it("a dropped GET stream is resumed with the notifications sent while it was away", async () => {
    const mcp = server();
    const handle = await serve(mcp);
    const sessionId = await openSession(handle.endpoint);
    const stream = await fetch(handle.endpoint, { headers: { accept: "text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": LEGACY } });
    expect(stream.status).toBe(200);
    const listChanged = (events: SseEvent[]) => events.filter((e) => e.data.includes("notifications/tools/list_changed"));
    const reading = readSseUntil(stream, (events) => listChanged(events).length >= 1);
    mcp.tool({ name: "added1" }, () => "1");
    const seen = listChanged(await reading);
    const lastSeen = seen[0]?.id;
    expect(lastSeen).toBeDefined();
    // Disconnected now; these two happen while the client is away.
    mcp.tool({ name: "added2" }, () => "2");
    await sleep(20);
    mcp.tool({ name: "added3" }, () => "3");
    await sleep(20);
    // Until the server has noticed the drop, it answers 409 (the stream is still live there).
    let resumed = await fetch(handle.endpoint, { headers: resumeHeaders(sessionId, lastSeen as string) });
    for (let tries = 0; resumed.status === 409 && tries < 50; tries++) {
      await resumed.text();
      await sleep(20);
      resumed = await fetch(handle.endpoint, { headers: resumeHeaders(sessionId, lastSeen as string) });
    }
    expect(resumed.status).toBe(200);
    const missed = listChanged(await readSseUntil(resumed, (events) => listChanged(events).length >= 2));
    expect(missed).toHaveLength(2);
    expect(missed.map((e) => e.id)).not.toContain(lastSeen);
  });

  it("an unknown Last-Event-ID is refused with 400 and nothing is replayed", async () => {
    const handle = await serve(server());
    const sessionId = await openSession(handle.endpoint);
    await chattyCall(handle.endpoint, sessionId);
    const response = await fetch(handle.endpoint, { headers: resumeHeaders(sessionId, "not-an-event-id") });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("note");
  });

  it("another session's event id is refused with 400 and none of that session's messages are replayed", async () => {
    const handle = await serve(server());
    const victim = await openSession(handle.endpoint);
    const events = await chattyCall(handle.endpoint, victim);
    const attacker = await openSession(handle.endpoint);
    const response = await fetch(handle.endpoint, { headers: resumeHeaders(attacker, events[0]?.id as string) });
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(body).not.toContain("note");
    expect(body).not.toContain("chatty done");
  });

  it("a custom eventStore in the sessions options stores the events", async () => {
    const inner = new InMemoryEventStore();
    let stored = 0;
    const store: EventStore = {
      storeEvent: (streamId, message) => {
        stored++;
        return inner.storeEvent(streamId, message);
      },
      // No getStreamIdForEventId: resumption must work with the two required methods alone.
      replayEventsAfter: (lastEventId, options) => inner.replayEventsAfter(lastEventId, options),
    };
    const handle = await serve(server(), { eventStore: store });
    const sessionId = await openSession(handle.endpoint);
    const events = await chattyCall(handle.endpoint, sessionId);
    expect(stored).toBeGreaterThanOrEqual(4);
    const resumed = await fetch(handle.endpoint, { headers: resumeHeaders(sessionId, events[1]?.id as string) });
    expect(resumed.status).toBe(200);
    expect((await readSseUntil(resumed, hasResult)).some((e) => e.data.includes("chatty done"))).toBe(true);
    const foreign = await fetch(handle.endpoint, { headers: resumeHeaders(await openSession(handle.endpoint), events[1]?.id as string) });
    expect(await statusOf(foreign)).toBe(400);
  });

  it("the SDK client reconnects with Last-Event-ID when the server closes the stream mid-call, and gets the result", async () => {
    const mcp = server();
    mcp.tool({ name: "reconnect" }, async (_args, ctx) => {
      await ctx.info("before the cut");
      ctx.closeSSEStream();
      await sleep(50);
      await ctx.info("after the cut");
      return "finished after reconnect";
    });
    const handle = await serve(mcp, { retryIntervalMs: 10 });
    const requests: { method: string; lastEventId: string | null }[] = [];
    const transport = new StreamableHTTPClientTransport(new URL(handle.endpoint), {
      fetch: async (input, init) => {
        requests.push({ method: init?.method ?? "GET", lastEventId: new Headers(init?.headers).get("last-event-id") });
        return fetch(input, init);
      },
    });
    const c = new Client({ name: "resumer", version: "1.0.0" }, { capabilities: {} });
    cleanups.push(() => c.close());
    const notes: string[] = [];
    c.setNotificationHandler("notifications/message", (n) => {
      notes.push(String(n.params.data));
    });
    await c.connect(transport as never);
    await c.setLoggingLevel("info");
    expect(firstText(await c.callTool({ name: "reconnect", arguments: {} }))).toBe("finished after reconnect");
    expect(notes).toEqual(["before the cut", "after the cut"]);
    expect(requests.some((r) => r.method === "GET" && r.lastEventId !== null)).toBe(true);
  });
});
