/**
 * The fast lane (src/protocol/fast-lane.ts) answers the common requests of an
 * established 2025-era connection without the SDK server. These tests speak
 * raw JSON-RPC to a served FastMCP over the in-memory pair, and hold the lane
 * to the SDK path: the same host served by a bare SDK server (no lane) must
 * answer every scripted request identically.
 */
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { FastMCP, PromptError, ResourceError, ResourceResult, ToolError, ToolResult, message, type Middleware } from "../src/index.js";
import { FastLane } from "../src/protocol/fast-lane.js";
import type { ProtocolHost } from "../src/protocol/host.js";
import { createLinkedTransports, type MessageTransport } from "../src/protocol/in-memory.js";
import { createSdkServer } from "../src/protocol/sdk-server.js";
import { serveConnection } from "../src/protocol/serve-connection.js";
import { Connections } from "../src/protocol/connections.js";
import { StdioTransport } from "../src/protocol/stdio-transport.js";
import type { JSONRPCMessage } from "../src/protocol/wire.js";
import { deferred, envelope, LEGACY, MODERN } from "./fixtures/wire.js";

type Msg = Record<string, any>;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  vi.restoreAllMocks();
});

/**
 * A raw JSON-RPC peer on one end of an in-memory pair: it keeps every message
 * the server sends, in order, and lets a test wait for the one it needs.
 */
class RawPeer {
  readonly inbox: Msg[] = [];
  /** What the serving SDK server reported through its `onerror` (a message it dropped, for one). */
  readonly reported: Error[] = [];
  private readonly waiters: { test: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  private readonly reportWaiters: { test: (e: Error) => boolean; resolve: () => void }[] = [];

  private constructor(private readonly transport: MessageTransport) {
    transport.onmessage = (m) => {
      const msg = m as Msg;
      this.inbox.push(msg);
      for (const w of [...this.waiters]) {
        if (w.test(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    };
  }

  static async open(transport: MessageTransport): Promise<RawPeer> {
    const peer = new RawPeer(transport);
    await transport.start();
    closers.push(() => transport.close());
    return peer;
  }

  report(error: Error): void {
    this.reported.push(error);
    for (const w of [...this.reportWaiters]) {
      if (w.test(error)) {
        this.reportWaiters.splice(this.reportWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /**
   * Send a request and resolve with its response, or with "dropped" when the
   * SDK server discards it as not a valid message (it then never answers).
   */
  async outcome(id: string | number, method: string, params?: Msg): Promise<Msg | "dropped"> {
    const tag = `"id":${JSON.stringify(id)}`;
    const dropped = new Promise<"dropped">((resolve) =>
      this.reportWaiters.push({ test: (e) => e.message.startsWith("Unknown message type") && e.message.includes(tag), resolve: () => resolve("dropped") }),
    );
    return Promise.race([this.request(id, method, params), dropped]);
  }

  /** The first message (already received or still to come) that passes `test`. */
  next(test: (m: Msg) => boolean): Promise<Msg> {
    const found = this.inbox.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  send(message: Msg): Promise<void> {
    return this.transport.send(message as JSONRPCMessage);
  }

  /** Send a request and resolve with its response (the first one carrying its id, from now on). */
  async request(id: string | number, method: string, params?: Msg): Promise<Msg> {
    const seen = this.inbox.length;
    const answer = this.next((m) => this.inbox.indexOf(m) >= seen && m.id === id && m.method === undefined);
    await this.send({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    return answer;
  }

  notify(method: string, params?: Msg): Promise<void> {
    return this.send({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
  }

  /** The 2025-era handshake. */
  async initialize(capabilities: Msg = {}): Promise<Msg> {
    const answer = await this.request("init", "initialize", { protocolVersion: LEGACY, capabilities, clientInfo: { name: "raw", version: "1.0.0" } });
    await this.notify("notifications/initialized");
    return answer;
  }

  /** A `ping` round trip: everything the server sent before answering it has arrived. */
  async roundTrip(): Promise<void> {
    await this.request(`ping-${this.inbox.length}-${Math.random()}`, "ping");
  }
}

/** A server with a component for every answer shape the parity script asks for. */
function richServer(): FastMCP {
  const mcp = new FastMCP({ name: "lane-test", version: "2.0.0", logLevel: "silent", instructions: "Be brief." });
  mcp.tool({ name: "echo", description: "Echo", input: z.object({ text: z.string() }) }, ({ text }) => `echo: ${text}`);
  mcp.tool(
    { name: "weather", input: z.object({ city: z.string() }), output: z.object({ city: z.string(), temp: z.number() }) },
    ({ city }) => ({ city, temp: 21 }),
  );
  mcp.tool({ name: "cities", output: z.array(z.string()) }, () => ["paris", "tokyo"]);
  mcp.tool({ name: "count", output: z.number() }, () => 3);
  mcp.tool({ name: "bad_output", output: z.object({ n: z.number() }) }, () => ({ n: "three" }) as never);
  mcp.tool({ name: "object" }, () => ({ a: 1, nested: { b: [true, null] } }));
  mcp.tool({ name: "array" }, () => [1, "two", { three: 3 }]);
  mcp.tool({ name: "nothing" }, () => undefined);
  mcp.tool({ name: "number" }, () => 42);
  mcp.tool({ name: "rich" }, () =>
    new ToolResult({
      content: [
        { type: "text", text: "first", annotations: { audience: ["user"], priority: 0.5 } },
        { type: "resource_link", uri: "docs://readme", name: "readme", mimeType: "text/markdown" },
      ],
      structuredContent: { rows: [1, 2] },
      meta: { cached: true },
    }),
  );
  mcp.tool({ name: "extra_keys" }, () => new ToolResult({ content: [{ type: "text", text: "x", extra: 1 } as never], structuredContent: { a: 1 }, meta: { m: 1 } }));
  mcp.tool({ name: "invalid_block" }, () => new ToolResult({ content: [{ type: "text", text: 5 } as never] }));
  mcp.tool({ name: "fails" }, () => {
    throw new ToolError("Cannot divide by zero");
  });
  mcp.tool({ name: "crashes" }, () => {
    throw new Error("kaboom");
  });
  mcp.tool({ name: "meta" }, (_args, ctx) => ({ meta: ctx.request.meta ?? null, era: ctx.request.era ?? null, transport: ctx.request.transport }));
  mcp.tool({ name: "session" }, (_args, ctx) => ({ session: ctx.session ?? null, caps: ctx.clientCapabilities ?? null }));

  mcp.resource("config://app", () => ({ theme: "dark" }));
  mcp.resource({ uri: "docs://readme", name: "readme", mimeType: "text/markdown", description: "The README" }, () => "# Hello");
  mcp.resource({ uri: "bin://blob", mimeType: "application/octet-stream" }, () => new Uint8Array([0, 1, 2, 255]));
  mcp.resource("multi://items", () => new ResourceResult([{ content: "a" }, { content: { b: 2 }, mimeType: "application/json" }], { page: 1 }));
  mcp.resource("broken://resource", () => {
    throw new ResourceError("disk on fire");
  });
  mcp.resource("crash://resource", () => {
    throw new Error("secret detail");
  });
  mcp.resource("users://{id}/profile", ({ id }) => ({ id, name: `user ${id}` }));

  mcp.prompt({ name: "review", description: "Review code", args: z.object({ code: z.string() }) }, ({ code }) => `Review this code:\n${code}`);
  mcp.prompt("hello", () => "Hello!");
  mcp.prompt({ name: "debate", args: z.object({ topic: z.string(), rounds: z.number().int() }) }, ({ topic, rounds }) => [
    message(`Argue about ${topic} for ${rounds} rounds.`),
    message("I'll take the other side.", "assistant"),
  ]);
  mcp.prompt("refuses", () => {
    throw new PromptError("not today");
  });
  closers.push(() => mcp.close());
  return mcp;
}

/** The server's dispatcher: the host both serving paths call into. */
function hostOf(mcp: FastMCP<any>): ProtocolHost {
  return (mcp as unknown as { dispatcher: ProtocolHost }).dispatcher;
}

/** Which peer hears the errors of the SDK server pinned behind each lane (keyed by the lane's transport). */
const peersByWire = new WeakMap<MessageTransport, RawPeer>();

/**
 * The SDK server behind a lane is built inside `serveConnection` when the
 * opening message arrives; catching it as the lane is attached to it is the
 * one way to hear what it reports (the entry does not forward it).
 */
function hearPinnedServers(): void {
  if (vi.isMockFunction(FastLane.prototype.attach)) return;
  const attach = FastLane.prototype.attach;
  vi.spyOn(FastLane.prototype, "attach").mockImplementation(function (this: FastLane, server) {
    const peer = peersByWire.get((this as unknown as { wire: MessageTransport }).wire);
    if (peer !== undefined) server.onerror = (error) => peer.report(error);
    attach.call(this, server);
  });
}

/** A raw peer on `mcp` served exactly as `mcp.inMemoryTransport()` serves it: `serveConnection`, lane in front. */
async function viaLane(mcp: FastMCP<any>): Promise<RawPeer> {
  hearPinnedServers();
  const [client, server] = createLinkedTransports();
  const connections = (mcp as unknown as { connections: Connections }).connections;
  const served = serveConnection(hostOf(mcp), connections, "memory", server);
  closers.push(() => served.close());
  const peer = await RawPeer.open(client);
  peersByWire.set(server, peer);
  return peer;
}

/** A raw peer on the same host served by a bare SDK server, with no lane in front. */
async function viaSdk(mcp: FastMCP<any>): Promise<RawPeer> {
  const [client, server] = createLinkedTransports();
  const sdk = createSdkServer(hostOf(mcp), { transport: "memory" });
  await sdk.connect(server as never);
  closers.push(() => sdk.close());
  const peer = await RawPeer.open(client);
  sdk.onerror = (error) => peer.report(error);
  return peer;
}

/** Every `offer` the lane got and what it decided, to tell which path answered a request. */
function watchLane(): { taken(id: string | number): boolean; offered(id: string | number): boolean[] } {
  const spy = vi.spyOn(FastLane.prototype, "offer");
  const decisions = (id: string | number) =>
    spy.mock.calls.flatMap(([m], i) => ((m as Msg).id === id && (m as Msg).method !== undefined ? [spy.mock.results[i]?.value as boolean] : []));
  return { taken: (id) => decisions(id).includes(true), offered: decisions };
}

/** The scripted requests of the parity test: [id, method, params]. */
const SCRIPT: [string, string, Msg | undefined][] = [
  ["tools/list", "tools/list", undefined],
  ["tools/list {}", "tools/list", {}],
  ["call echo", "tools/call", { name: "echo", arguments: { text: "hi" } }],
  ["call echo with a progress token", "tools/call", { name: "echo", arguments: { text: "hi" }, _meta: { progressToken: "p1" } }],
  ["call weather (structured)", "tools/call", { name: "weather", arguments: { city: "Paris" } }],
  ["call cities (non-object output)", "tools/call", { name: "cities", arguments: {} }],
  ["call count (scalar output)", "tools/call", { name: "count" }],
  ["call bad_output", "tools/call", { name: "bad_output", arguments: {} }],
  ["call object", "tools/call", { name: "object", arguments: {} }],
  ["call array", "tools/call", { name: "array", arguments: {} }],
  ["call nothing", "tools/call", { name: "nothing", arguments: {} }],
  ["call number", "tools/call", { name: "number", arguments: {} }],
  ["call rich", "tools/call", { name: "rich", arguments: {} }],
  ["call fails (ToolError)", "tools/call", { name: "fails", arguments: {} }],
  ["call crashes", "tools/call", { name: "crashes", arguments: {} }],
  ["call unknown tool", "tools/call", { name: "no_such_tool", arguments: {} }],
  ["call echo with invalid arguments", "tools/call", { name: "echo", arguments: { text: 5 } }],
  ["call echo with missing arguments", "tools/call", { name: "echo" }],
  ["call session", "tools/call", { name: "session", arguments: {} }],
  ["call meta", "tools/call", { name: "meta", arguments: {}, _meta: { progressToken: 9, custom: "x" } }],
  ["resources/list", "resources/list", undefined],
  ["resources/templates/list", "resources/templates/list", {}],
  ["read config", "resources/read", { uri: "config://app" }],
  ["read readme", "resources/read", { uri: "docs://readme" }],
  ["read blob", "resources/read", { uri: "bin://blob" }],
  ["read multi", "resources/read", { uri: "multi://items" }],
  ["read template", "resources/read", { uri: "users://42/profile" }],
  ["read unknown", "resources/read", { uri: "nope://nothing" }],
  ["read broken", "resources/read", { uri: "broken://resource" }],
  ["read crash", "resources/read", { uri: "crash://resource" }],
  ["prompts/list", "prompts/list", undefined],
  ["get review", "prompts/get", { name: "review", arguments: { code: "x = 1" } }],
  ["get hello", "prompts/get", { name: "hello" }],
  ["get hello with {} arguments", "prompts/get", { name: "hello", arguments: {} }],
  ["get debate (JSON-parsed argument)", "prompts/get", { name: "debate", arguments: { topic: "tabs", rounds: "3" } }],
  ["get debate with an invalid argument", "prompts/get", { name: "debate", arguments: { topic: "tabs", rounds: "many" } }],
  ["get review without its argument", "prompts/get", { name: "review" }],
  ["get unknown prompt", "prompts/get", { name: "no_such_prompt" }],
  ["get refuses", "prompts/get", { name: "refuses" }],
  ["tools/list with a bad cursor", "tools/list", { cursor: "not-a-cursor" }],
  ["resources/list with a bad cursor", "resources/list", { cursor: "not-a-cursor" }],
  ["resources/templates/list with a bad cursor", "resources/templates/list", { cursor: "not-a-cursor" }],
  ["prompts/list with a bad cursor", "prompts/list", { cursor: "not-a-cursor" }],
  // Malformed params: the lane hands these to the SDK, so both paths must agree by construction.
  ["malformed: name 42", "tools/call", { name: 42, arguments: {} }],
  ["malformed: arguments array", "tools/call", { name: "echo", arguments: ["hi"] }],
  ["malformed: no params", "tools/call", undefined],
  ["malformed: prompt argument not a string", "prompts/get", { name: "review", arguments: { code: 1 } }],
  ["malformed: uri not a string", "resources/read", { uri: 7 }],
  ["malformed: cursor not a string", "tools/list", { cursor: 3 }],
  ["malformed: _meta not an object", "tools/call", { name: "echo", arguments: { text: "x" }, _meta: "m" }],
];

/**
 * Requests at the edges of the 2025 schema: [id, method, params, which path
 * answers]. Those whose params the SDK lifts, validates or refuses beyond the
 * lane's own checks go to the SDK ("sdk"); the rest stay on the lane.
 */
const EDGE_SCRIPT: [string, string, Msg, "lane" | "sdk"][] = [
  ["edge: progressToken of the wrong type", "tools/call", { name: "echo", arguments: { text: "x" }, _meta: { progressToken: true } }, "sdk"],
  ["edge: fractional progressToken", "tools/call", { name: "echo", arguments: { text: "x" }, _meta: { progressToken: 1.5 } }, "sdk"],
  ["edge: related-task meta key of the wrong shape", "tools/call", { name: "echo", arguments: { text: "x" }, _meta: { "io.modelcontextprotocol/related-task": { taskId: 5 } } }, "sdk"],
  ["edge: envelope keys in _meta of a 2025 request", "tools/call", { name: "meta", arguments: {}, _meta: { ...envelope(), custom: "kept" } }, "sdk"],
  ["edge: requestState on a 2025 request", "tools/call", { name: "echo", arguments: { text: "x" }, requestState: "forged" }, "sdk"],
  ["edge: inputResponses on a 2025 request", "tools/call", { name: "echo", arguments: { text: "x" }, inputResponses: {} }, "sdk"],
  ["edge: task that is not an object", "tools/call", { name: "echo", arguments: { text: "x" }, task: "soon" }, "sdk"],
  ["edge: a well-formed task", "tools/call", { name: "echo", arguments: { text: "x" }, task: { ttl: 5 } }, "sdk"],
  ["edge: an unknown params member", "tools/call", { name: "echo", arguments: { text: "x" }, extra: true }, "lane"],
  ["edge: an empty _meta", "resources/read", { uri: "config://app", _meta: {} }, "lane"],
  ["edge: a content block mcpkit turns into JSON text", "tools/call", { name: "invalid_block", arguments: {} }, "lane"],
];

async function runScript(peer: RawPeer, script: [string, string, Msg | undefined][]): Promise<Record<string, any>> {
  const answers: Record<string, Msg | "dropped"> = {};
  // One at a time, so both servers see the same sequence.
  for (const [id, method, params] of script) answers[id] = await peer.outcome(id, method, params);
  return answers;
}

describe("fast lane parity with the SDK path (2025-11-25)", () => {
  it("answers every scripted request exactly as a bare SDK server on the same host does", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const fast = await viaLane(mcp);
    const sdk = await viaSdk(mcp);
    const fastInit = await fast.initialize();
    const sdkInit = await sdk.initialize();
    expect(fastInit.result.protocolVersion).toBe(LEGACY);
    expect(fastInit).toEqual(sdkInit);

    const fastAnswers = await runScript(fast, SCRIPT);
    const sdkAnswers = await runScript(sdk, SCRIPT);

    for (const [id] of SCRIPT) expect(fastAnswers[id], id).toEqual(sdkAnswers[id]);
    // Not a vacuous match: the one request neither path answers is the one the SDK drops as not a message.
    expect(SCRIPT.filter(([id]) => fastAnswers[id] === "dropped").map(([id]) => id)).toEqual(["malformed: _meta not an object"]);
    // The well-formed requests really went down the lane (and the malformed ones did not).
    for (const [id] of SCRIPT) expect(lane.taken(id), id).toBe(!id.startsWith("malformed"));
  });

  it("answers the well-formed requests the way the handlers intend, on mcp.inMemoryTransport() too", async () => {
    const mcp = richServer();
    const lane = watchLane();
    // The public in-memory entry, to show the lane sits in front of it.
    const peer = await RawPeer.open(mcp.inMemoryTransport());
    await peer.initialize();
    const a = await runScript(peer, SCRIPT.filter(([id]) => !id.startsWith("malformed")));
    expect(lane.taken("call echo")).toBe(true);

    const weather = a["tools/list"]?.result.tools.find((t: Msg) => t.name === "weather");
    expect(weather.outputSchema).toMatchObject({ type: "object", properties: { city: { type: "string" }, temp: { type: "number" } } });
    const cities = a["tools/list"]?.result.tools.find((t: Msg) => t.name === "cities");
    expect(cities.outputSchema.type).toBe("object");
    expect(a["call echo"]).toEqual({ jsonrpc: "2.0", id: "call echo", result: { content: [{ type: "text", text: "echo: hi" }] } });
    expect(a["call weather (structured)"]?.result).toEqual({
      content: [{ type: "text", text: JSON.stringify({ city: "Paris", temp: 21 }) }],
      structuredContent: { city: "Paris", temp: 21 },
    });
    expect(a["call cities (non-object output)"]?.result.structuredContent).toEqual({ result: ["paris", "tokyo"] });
    expect(a["call nothing"]?.result).toEqual({ content: [] });
    expect(a["call fails (ToolError)"]?.result).toEqual({ content: [{ type: "text", text: "Cannot divide by zero" }], isError: true });
    expect(a["call echo with invalid arguments"]?.result.isError).toBe(true);
    expect(a["call unknown tool"]?.error).toMatchObject({ code: -32602, message: expect.stringContaining("no_such_tool") });
    expect(a["read config"]?.result.contents).toEqual([{ uri: "config://app", mimeType: "application/json", text: JSON.stringify({ theme: "dark" }) }]);
    expect(a["read template"]?.result.contents[0]).toMatchObject({ uri: "users://42/profile", text: JSON.stringify({ id: "42", name: "user 42" }) });
    expect(a["read unknown"]?.error).toMatchObject({ code: -32602, data: { uri: "nope://nothing" } });
    expect(a["read broken"]?.error).toMatchObject({ code: -32603, message: expect.stringContaining("disk on fire") });
    expect(a["get review"]?.result.messages).toEqual([{ role: "user", content: { type: "text", text: "Review this code:\nx = 1" } }]);
    expect(a["get hello"]?.result.messages).toEqual([{ role: "user", content: { type: "text", text: "Hello!" } }]);
    expect(a["get debate (JSON-parsed argument)"]?.result.messages[0].content.text).toBe("Argue about tabs for 3 rounds.");
    expect(a["get unknown prompt"]?.error.code).toBe(-32602);
    for (const list of ["tools/list", "resources/list", "resources/templates/list", "prompts/list"]) {
      expect(a[`${list} with a bad cursor`]?.error?.code, list).toBe(-32602);
    }
    expect(a["call session"]?.result.structuredContent).toMatchObject({
      session: { clientInfo: { name: "raw", version: "1.0.0" }, protocolVersion: LEGACY },
      caps: {},
    });
    expect(a["call meta"]?.result.structuredContent).toEqual({ meta: { progressToken: 9, custom: "x" }, era: "legacy", transport: "memory" });
  });

  it.each(EDGE_SCRIPT)("answers %s as the SDK path does", async (id, method, params, path) => {
    const mcp = richServer();
    const lane = watchLane();
    const fast = await viaLane(mcp);
    const sdk = await viaSdk(mcp);
    await fast.initialize();
    await sdk.initialize();
    const viaFast = await fast.outcome(id, method, params);
    const viaBare = await sdk.outcome(id, method, params);
    expect(viaFast).toEqual(viaBare);
    expect(lane.taken(id)).toBe(path === "lane");
  });

  it("drops a request whose progressToken is not a string or an integer, as the SDK does, and keeps serving", async () => {
    const mcp = richServer();
    const peer = await viaLane(mcp);
    await peer.initialize();
    expect(await peer.outcome("bad-token", "tools/call", { name: "echo", arguments: { text: "x" }, _meta: { progressToken: { id: 1 } } })).toBe("dropped");
    expect((await peer.request("after", "tools/call", { name: "echo", arguments: { text: "y" } })).result.content).toEqual([{ type: "text", text: "echo: y" }]);
    await peer.roundTrip();
    expect(peer.inbox.filter((m) => m.id === "bad-token")).toEqual([]);
  });

  it("hides the reserved envelope keys of _meta from the handler, as the SDK path does", async () => {
    const mcp = richServer();
    const peer = await viaLane(mcp);
    await peer.initialize();
    const answer = await peer.request(1, "tools/call", { name: "meta", arguments: {}, _meta: { ...envelope(), progressToken: "t", custom: "kept" } });
    expect(answer.result.structuredContent.meta).toEqual({ progressToken: "t", custom: "kept" });
  });

  // Known divergences, pinned so that a change in either path is noticed. The
  // SDK path parses a tools/call request and result with zod, which strips
  // members its 2025 schema does not name; the lane parses neither.
  it("passes a content-block member unknown to the 2025 schema through, where the SDK path strips it", async () => {
    const mcp = richServer();
    const answers: Msg[] = [];
    for (const open of [viaLane, viaSdk]) {
      const peer = await open(mcp);
      await peer.initialize();
      answers.push(await peer.request(1, "tools/call", { name: "extra_keys", arguments: {} }));
    }
    const [fast, bare] = answers as [Msg, Msg];
    expect(fast.result.content).toEqual([{ type: "text", text: "x", extra: 1 }]);
    expect(bare.result.content).toEqual([{ type: "text", text: "x" }]);
    expect({ ...fast.result, content: undefined }).toEqual({ ...bare.result, content: undefined });
  });

  it("shows middleware a params member unknown to the 2025 schema, where the SDK path strips it", async () => {
    const mcp = richServer();
    const seen: string[][] = [];
    mcp.use({
      async onCallTool(ctx, next) {
        seen.push(Object.keys(ctx.params).sort());
        return next();
      },
    });
    for (const open of [viaLane, viaSdk]) {
      const peer = await open(mcp);
      await peer.initialize();
      await peer.request(1, "tools/call", { name: "echo", arguments: { text: "x" }, extra: true });
    }
    expect(seen).toEqual([
      ["arguments", "extra", "name"],
      ["arguments", "name"],
    ]);
  });

  it("sends the same notifications as the SDK path for a tool that logs and reports progress", async () => {
    const mcp = richServer();
    mcp.tool({ name: "chatty" }, async (_args, ctx) => {
      await ctx.info("working", { step: 1 });
      await ctx.progress(1, 2, "half");
      await ctx.debug("below the level");
      return "done";
    });
    const sessions: Msg[][] = [];
    for (const open of [viaLane, viaSdk]) {
      const peer = await open(mcp);
      await peer.initialize();
      await peer.request("lvl", "logging/setLevel", { level: "info" });
      const from = peer.inbox.length;
      await peer.request("c", "tools/call", { name: "chatty", arguments: {}, _meta: { progressToken: "tok" } });
      sessions.push(peer.inbox.slice(from));
    }
    expect(sessions[0]).toEqual(sessions[1]);
  });
});

describe("fast lane requests on a 2025-11-25 connection", () => {
  it("honours logging/setLevel: below the level nothing is sent, at and above it is", async () => {
    const mcp = richServer();
    mcp.tool({ name: "chatty" }, async (_args, ctx) => {
      await ctx.debug("debugging");
      await ctx.info("informing");
      await ctx.log("notice", "noticing");
      await ctx.warning("warning");
      await ctx.error("failing", { code: 7 });
      return "done";
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();
    const logs = () => peer.inbox.filter((m) => m.method === "notifications/message").map((m) => m.params);

    await peer.request(1, "tools/call", { name: "chatty", arguments: {} });
    expect(logs().map((p) => p.level)).toEqual(["debug", "info", "notice", "warning", "error"]);

    expect((await peer.request(2, "logging/setLevel", { level: "warning" })).result).toEqual({});
    const before = logs().length;
    await peer.request(3, "tools/call", { name: "chatty", arguments: {} });
    expect(logs().slice(before)).toEqual([
      { level: "warning", logger: "lane-test", data: "warning" },
      { level: "error", logger: "lane-test", data: { msg: "failing", extra: { code: 7 } } },
    ]);
    expect(lane.taken(1) && lane.taken(3)).toBe(true);
    expect(lane.taken(2)).toBe(false);
  });

  it("sends ctx.progress as notifications/progress with the request's progressToken, before the answer", async () => {
    const mcp = richServer();
    mcp.tool({ name: "slow" }, async (_args, ctx) => {
      await ctx.progress(1, 3);
      await ctx.progress(2, 3, "two of three");
      return "finished";
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();
    const from = peer.inbox.length;

    const answer = await peer.request(5, "tools/call", { name: "slow", arguments: {}, _meta: { progressToken: "job-1" } });

    expect(answer.result.content).toEqual([{ type: "text", text: "finished" }]);
    expect(peer.inbox.slice(from)).toEqual([
      { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "job-1", progress: 1, total: 3 } },
      { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "job-1", progress: 2, total: 3, message: "two of three" } },
      answer,
    ]);
    expect(lane.taken(5)).toBe(true);
  });

  it("sends no progress for a request without a progressToken, and keeps a numeric token's type", async () => {
    const mcp = richServer();
    mcp.tool({ name: "slow" }, async (_args, ctx) => {
      await ctx.progress(1);
      return "finished";
    });
    const peer = await viaLane(mcp);
    await peer.initialize();
    await peer.request(1, "tools/call", { name: "slow", arguments: {} });
    expect(peer.inbox.filter((m) => m.method === "notifications/progress")).toEqual([]);
    await peer.request(2, "tools/call", { name: "slow", arguments: {}, _meta: { progressToken: 77 } });
    expect(peer.inbox.filter((m) => m.method === "notifications/progress").map((m) => m.params)).toEqual([{ progressToken: 77, progress: 1 }]);
  });

  it("never answers a call the client cancelled, and aborts the handler's ctx.signal with the reason", async () => {
    const mcp = richServer();
    const started = deferred();
    const aborted = deferred<{ aborted: boolean; reason: unknown }>();
    const release = deferred();
    mcp.tool({ name: "long" }, async (_args, ctx) => {
      ctx.signal.addEventListener("abort", () => aborted.resolve({ aborted: ctx.signal.aborted, reason: ctx.signal.reason }));
      started.resolve();
      await release.promise;
      return "too late";
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();

    await peer.send({ jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: "long", arguments: {} } });
    await started.promise;
    await peer.notify("notifications/cancelled", { requestId: 11, reason: "user hit stop" });

    expect(await aborted.promise).toEqual({ aborted: true, reason: "user hit stop" });
    release.resolve();
    // Two round trips after the handler returned: an answer, had one been sent, would be here.
    await peer.roundTrip();
    await peer.roundTrip();
    expect(peer.inbox.filter((m) => m.id === 11)).toEqual([]);
    expect(lane.taken(11)).toBe(true);

    // The connection still serves, and the id can be used again.
    expect((await peer.request(11, "tools/call", { name: "echo", arguments: { text: "again" } })).result.content).toEqual([{ type: "text", text: "echo: again" }]);
  });

  it("hands an already-aborted ctx.signal to a handler whose call was cancelled before it started", async () => {
    // The lifespan holds the first call before its context exists, so the cancellation lands first.
    const entered = deferred();
    const gate = deferred();
    const mcp = new FastMCP({
      name: "gated",
      logLevel: "silent",
      lifespan: async function* () {
        entered.resolve();
        await gate.promise;
        yield {};
      },
    });
    closers.push(() => mcp.close());
    const ran = deferred<boolean>();
    mcp.tool({ name: "check" }, (_args, ctx) => {
      ran.resolve(ctx.signal.aborted);
      return "ran";
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();

    await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "check", arguments: {} } });
    await entered.promise;
    await peer.notify("notifications/cancelled", { requestId: 1 });
    await peer.roundTrip();
    gate.resolve();

    expect(await ran.promise).toBe(true);
    await peer.roundTrip();
    await peer.roundTrip();
    expect(peer.inbox.filter((m) => m.id === 1)).toEqual([]);
    expect(lane.taken(1)).toBe(true);
  });

  it("ignores a cancellation for an id it does not know", async () => {
    const mcp = richServer();
    const peer = await viaLane(mcp);
    await peer.initialize();
    await peer.notify("notifications/cancelled", { requestId: "never-sent" });
    expect((await peer.request(1, "tools/call", { name: "echo", arguments: { text: "fine" } })).result.content).toEqual([{ type: "text", text: "echo: fine" }]);
  });

  it("hands a request reusing the id of one still in flight to the SDK path, and the first still gets its answer", async () => {
    const mcp = richServer();
    const started = deferred();
    const release = deferred();
    mcp.tool({ name: "held" }, async () => {
      started.resolve();
      await release.promise;
      return "first answer";
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();

    await peer.send({ jsonrpc: "2.0", id: 21, method: "tools/call", params: { name: "held", arguments: {} } });
    await started.promise;
    await peer.send({ jsonrpc: "2.0", id: 21, method: "tools/call", params: { name: "echo", arguments: { text: "second" } } });
    // Whatever the SDK path makes of the duplicate, it has done it by the time a later ping is answered.
    await peer.roundTrip();
    expect(lane.offered(21)).toEqual([true, false]);

    release.resolve();
    await peer.next((m) => m.id === 21 && m.result?.content?.[0]?.text === "first answer");
    await peer.roundTrip();
    const answers = peer.inbox.filter((m) => m.id === 21);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.length).toBeLessThanOrEqual(2);
    expect(answers.filter((m) => m.result?.content?.[0]?.text === "first answer")).toHaveLength(1);
  });

  it.each([
    ["tools/call with name 42", "tools/call", { name: 42, arguments: {} }],
    ["tools/call with arguments that are an array", "tools/call", { name: "echo", arguments: ["hi"] }],
    ["tools/call without params", "tools/call", undefined],
  ])("leaves %s to the SDK, which answers its canonical -32602", async (_what, method, params) => {
    const mcp = richServer();
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();
    const answer = await peer.request("bad", method, params);
    expect(answer.error).toMatchObject({ code: -32602, message: expect.stringContaining("Invalid tools/call request") });
    expect(answer.result).toBeUndefined();
    expect(lane.offered("bad")).toEqual([false]);
  });

  it.each([
    ["prompts/get with a non-string argument", "prompts/get", { name: "review", arguments: { code: 1 } }],
    ["prompts/get without a name", "prompts/get", {}],
    ["resources/read with a numeric uri", "resources/read", { uri: 7 }],
    ["a list with a numeric cursor", "prompts/list", { cursor: 3 }],
  ])("leaves %s to the SDK, whose error it answers unchanged", async (_what, method, params) => {
    const mcp = richServer();
    const lane = watchLane();
    const answers: Msg[] = [];
    for (const open of [viaLane, viaSdk]) {
      const peer = await open(mcp);
      await peer.initialize();
      answers.push(await peer.request("bad", method, params));
    }
    // The SDK's own validation answers these (with -32603 for the methods other than tools/call).
    expect(answers[0]?.error).toMatchObject({ code: expect.any(Number), message: expect.stringContaining("invalid_type") });
    expect(answers[0]).toEqual(answers[1]);
    expect(lane.offered("bad")).toEqual([false]);
  });

  it("delivers an elicitation from a tool to the client as elicitation/create, and the tool gets the answer", async () => {
    const mcp = richServer();
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const r = await ctx.elicit("Your name?", z.object({ name: z.string() }));
      return r.action === "accept" ? `hello ${r.data.name}` : r.action;
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize({ elicitation: { form: {} } });

    const answer = peer.request(31, "tools/call", { name: "ask", arguments: {} });
    const ask = await peer.next((m) => m.method === "elicitation/create");
    expect(ask.id).toBeDefined();
    expect(ask.params).toMatchObject({ message: "Your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } });
    await peer.send({ jsonrpc: "2.0", id: ask.id, result: { action: "accept", content: { name: "Ada" } } });

    expect((await answer).result.content).toEqual([{ type: "text", text: "hello Ada" }]);
    expect(lane.taken(31)).toBe(true);
  });

  it("hands the tool a decline from the client", async () => {
    const mcp = richServer();
    mcp.tool({ name: "ask" }, async (_args, ctx) => (await ctx.elicit("Proceed?")).action);
    const peer = await viaLane(mcp);
    await peer.initialize({ elicitation: { form: {} } });
    const answer = peer.request(1, "tools/call", { name: "ask", arguments: {} });
    const ask = await peer.next((m) => m.method === "elicitation/create");
    await peer.send({ jsonrpc: "2.0", id: ask.id, result: { action: "decline" } });
    expect((await answer).result.content).toEqual([{ type: "text", text: "decline" }]);
  });

  it("fails an elicitation the client did not declare the capability for, as the SDK path does", async () => {
    const mcp = richServer();
    mcp.tool({ name: "ask" }, async (_args, ctx) => (await ctx.elicit("Proceed?")).action);
    const answers: Msg[] = [];
    for (const open of [viaLane, viaSdk]) {
      const peer = await open(mcp);
      await peer.initialize();
      answers.push(await peer.request(1, "tools/call", { name: "ask", arguments: {} }));
      expect(peer.inbox.some((m) => m.method === "elicitation/create")).toBe(false);
    }
    expect(answers[0]?.result?.isError).toBe(true);
    expect(answers[0]?.result.content[0].text).toMatch(/elicitation/);
    expect(answers[0]).toEqual(answers[1]);
  });

  it("runs middleware around fast-lane requests, with the client's params", async () => {
    const mcp = richServer();
    const seen: string[] = [];
    const middleware: Middleware = {
      async onRequest(ctx, next) {
        seen.push(`request ${ctx.method}`);
        return next();
      },
      async onCallTool(ctx, next) {
        seen.push(`callTool ${ctx.params.name} ${JSON.stringify(ctx.params.arguments)} ${ctx.source}`);
        ctx.context.state.set("stamp", "from middleware");
        const result = await next();
        return { ...result, content: [...result.content, { type: "text", text: "+mw" }] };
      },
      async onReadResource(ctx, next) {
        seen.push(`readResource ${ctx.params.uri}`);
        return next();
      },
      async onGetPrompt(ctx, next) {
        seen.push(`getPrompt ${ctx.params.name}`);
        return next();
      },
    };
    mcp.use(middleware);
    mcp.tool({ name: "stamped" }, (_args, ctx) => String(ctx.state.get("stamp")));
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.initialize();
    seen.length = 0; // the handshake passed through too

    const call = await peer.request(41, "tools/call", { name: "stamped", arguments: { x: 1 } });
    await peer.request(42, "resources/read", { uri: "config://app" });
    await peer.request(43, "prompts/get", { name: "hello" });

    expect(call.result.content).toEqual([
      { type: "text", text: "from middleware" },
      { type: "text", text: "+mw" },
    ]);
    expect(seen).toEqual([
      "request tools/call",
      "callTool stamped {\"x\":1} client",
      "request resources/read",
      "readResource config://app",
      "request prompts/get",
      "getPrompt hello",
    ]);
    expect([41, 42, 43].every((id) => lane.taken(id))).toBe(true);
  });

  it("lets a middleware refuse a fast-lane call with an error the client receives", async () => {
    const mcp = richServer();
    mcp.use({
      async onCallTool(ctx, next) {
        if (ctx.params.name === "echo") throw new ToolError("echo is switched off");
        return next();
      },
    });
    const answers: Msg[] = [];
    for (const open of [viaLane, viaSdk]) {
      const peer = await open(mcp);
      await peer.initialize();
      answers.push(await peer.request(1, "tools/call", { name: "echo", arguments: { text: "x" } }));
    }
    expect(JSON.stringify(answers[0])).toContain("echo is switched off");
    expect(answers[0]).toEqual(answers[1]);
  });

  it("leaves the handshake, ping and other methods to the SDK server", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const peer = await viaLane(mcp);
    const init = await peer.initialize();
    expect(init.result.serverInfo).toMatchObject({ name: "lane-test", version: "2.0.0" });
    expect(init.result.instructions).toBe("Be brief.");
    expect((await peer.request("p", "ping")).result).toEqual({});
    const completion = await peer.request("c", "completion/complete", { ref: { type: "ref/prompt", name: "review" }, argument: { name: "code", value: "" } });
    expect(completion.result.completion).toMatchObject({ values: [] });
    expect((await peer.request("s", "resources/subscribe", { uri: "config://app" })).result).toEqual({});
    expect((await peer.request("u", "no/such/method")).error.code).toBe(-32601);
    for (const id of ["init", "p", "c", "s", "u"]) expect(lane.offered(id), id).toEqual([false]);
  });

  it("answers concurrent calls, each with its own id", async () => {
    const mcp = richServer();
    const peer = await viaLane(mcp);
    await peer.initialize();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => peer.request(100 + i, "tools/call", { name: "echo", arguments: { text: String(i) } })));
    expect(answers.map((a) => a.result.content[0].text)).toEqual(Array.from({ length: 20 }, (_, i) => `echo: ${i}`));
  });

  it("does not answer before the handshake: a tools/call as the first message goes to the SDK", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const peer = await viaLane(mcp);
    const answer = await peer.request(1, "tools/call", { name: "echo", arguments: { text: "early" } });
    expect(lane.offered(1)).toEqual([false]);
    // Whatever the entry answers to a 2025 request without a handshake, it is not a lane answer.
    expect(answer.jsonrpc).toBe("2.0");
  });
});

describe("fast lane over a stdio transport", () => {
  it("answers from the host on newline-delimited JSON, with the stdio transport in ctx.request", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const input = new PassThrough();
    const output = new PassThrough();
    const served = serveConnection(hostOf(mcp), new Connections(), "stdio", new StdioTransport({ input, output }));
    closers.push(() => served.close());
    const lines: Msg[] = [];
    let buffer = "";
    const arrived: (() => void)[] = [];
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) !== -1) {
        lines.push(JSON.parse(buffer.slice(0, newline)) as Msg);
        buffer = buffer.slice(newline + 1);
      }
      for (const wake of arrived.splice(0)) wake();
    });
    const answerTo = async (id: string | number): Promise<Msg> => {
      for (;;) {
        const found = lines.find((m) => m.id === id && m.method === undefined);
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => arrived.push(resolve));
      }
    };
    const write = (message: Msg) => input.write(`${JSON.stringify(message)}\n`);

    write({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "pipe", version: "1" } } });
    expect((await answerTo(0)).result.protocolVersion).toBe(LEGACY);
    write({ jsonrpc: "2.0", method: "notifications/initialized" });
    write({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "meta", arguments: {} } });
    write({ jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: "users://9/profile" } });

    expect((await answerTo(1)).result.structuredContent).toEqual({ meta: null, era: "legacy", transport: "stdio" });
    expect((await answerTo(2)).result.contents[0]).toMatchObject({ uri: "users://9/profile", mimeType: "application/json" });
    expect(lane.taken(1) && lane.taken(2)).toBe(true);
    expect(buffer).toBe("");
  });
});

describe("fast lane on a 2026-07-28 connection", () => {
  it("stays out of the way: requests carrying the envelope are answered by the SDK server", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const peer = await viaLane(mcp);
    const discover = await peer.request("d", "server/discover", { _meta: envelope() });
    expect(discover.result.supportedVersions).toContain(MODERN);

    const list = await peer.request(1, "tools/list", { _meta: envelope() });
    expect(list.result.tools.map((t: Msg) => t.name)).toContain("echo");
    const call = await peer.request(2, "tools/call", { name: "echo", arguments: { text: "modern" }, _meta: envelope() });
    expect(call.result.content).toEqual([{ type: "text", text: "echo: modern" }]);
    const read = await peer.request(3, "resources/read", { uri: "users://7/profile", _meta: envelope() });
    expect(read.result.contents[0]).toMatchObject({ uri: "users://7/profile" });
    const prompt = await peer.request(4, "prompts/get", { name: "review", arguments: { code: "y" }, _meta: envelope() });
    expect(prompt.result.messages[0].content.text).toBe("Review this code:\ny");
    const unknown = await peer.request(5, "tools/call", { name: "no_such_tool", arguments: {}, _meta: envelope() });
    expect(unknown.error).toBeDefined();

    for (const id of [1, 2, 3, 4, 5]) expect(lane.taken(id), String(id)).toBe(false);
  });

  it("uses the multi-round-trip elicitation of the 2026 era, not a push request", async () => {
    const mcp = richServer();
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const r = await ctx.elicit("Your name?", z.object({ name: z.string() }));
      return r.action === "accept" ? `hello ${r.data.name}` : r.action;
    });
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.request("d", "server/discover", { _meta: envelope() });
    const first = await peer.request(1, "tools/call", { name: "ask", arguments: {}, _meta: envelope({ elicitation: { form: {} } }) });
    expect(first.result.resultType).toBe("input_required");
    expect(peer.inbox.some((m) => m.method === "elicitation/create")).toBe(false);
    expect(lane.taken(1)).toBe(false);
  });
});
