/**
 * Shared support for the fast-lane tests (src/protocol/fast-lane.ts): a raw
 * JSON-RPC peer, a server with a component for every answer shape, the two
 * ways of serving it (lane in front, or a bare SDK server with no lane), a spy
 * on the lane's decisions, and the scripted requests of the parity test.
 */
import type { Server } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { vi } from "vitest";
import { z } from "zod";
import { FastMCP, PromptError, ResourceError, ResourceResult, ToolError, ToolResult, message } from "../src/index.js";
import { BareConnection } from "../src/protocol/bare-connection.js";
import { FastLane } from "../src/protocol/fast-lane.js";
import type { ProtocolHost } from "../src/protocol/host.js";
import { createLinkedTransports, type MessageTransport } from "../src/protocol/in-memory.js";
import { loadSdk } from "../src/protocol/sdk-loader.js";
import { createSdkServer } from "../src/protocol/sdk-server.js";
import { serveConnection } from "../src/protocol/serve-connection.js";
import type { Connections } from "../src/protocol/connections.js";
import type { JSONRPCMessage } from "../src/protocol/wire.js";
import { LEGACY } from "./fixtures/wire.js";

export type Msg = Record<string, any>;

/** What each test opened, closed (last first) by `closeAll` after it. */
export const closers: (() => Promise<void>)[] = [];

/** Run after each test (`afterEach(closeAll)`): closes what the test opened and restores the spies. */
export async function closeAll(): Promise<void> {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  vi.restoreAllMocks();
}

/**
 * A raw JSON-RPC peer on one end of an in-memory pair: it keeps every message
 * the server sends, in order, and lets a test wait for the one it needs.
 */
export class RawPeer {
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
export function richServer(): FastMCP {
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

/** Add `chatty`: a tool that logs at info and debug and reports progress before it answers. */
export function addChatty(mcp: FastMCP<any>): void {
  mcp.tool({ name: "chatty" }, async (_args, ctx) => {
    await ctx.info("working", { step: 1 });
    await ctx.progress(1, 2, "half");
    await ctx.debug("below the level");
    return "done";
  });
}

/** The server's dispatcher: the host both serving paths call into. */
export function hostOf(mcp: FastMCP<any>): ProtocolHost {
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
    if (peer !== undefined && !(server instanceof BareConnection)) (server as Server).onerror = (error) => peer.report(error);
    attach.call(this, server);
  });
}

/** A raw peer on `mcp` served exactly as `mcp.inMemoryTransport()` serves it: `serveConnection`, lane in front. */
export async function viaLane(mcp: FastMCP<any>): Promise<RawPeer> {
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
export async function viaSdk(mcp: FastMCP<any>): Promise<RawPeer> {
  await loadSdk();
  const [client, server] = createLinkedTransports();
  const sdk = createSdkServer(hostOf(mcp), { transport: "memory" });
  await sdk.connect(server as never);
  closers.push(() => sdk.close());
  const peer = await RawPeer.open(client);
  sdk.onerror = (error) => peer.report(error);
  return peer;
}

/**
 * A raw peer on the same host served by the SDK's own entry for long-lived
 * connections (which picks the era from the opening message, as
 * `serveConnection` does) with no lane in front: the reference for the
 * 2026-07-28 era, which a bare connected server does not speak.
 */
export async function viaSdkEntry(mcp: FastMCP<any>): Promise<RawPeer> {
  await loadSdk();
  const [client, server] = createLinkedTransports();
  const reported: { peer?: RawPeer } = {};
  const handle = serveStdio(
    () => {
      const sdk = createSdkServer(hostOf(mcp), { transport: "memory" });
      sdk.onerror = (error) => reported.peer?.report(error);
      return sdk;
    },
    { transport: server as never },
  );
  closers.push(() => handle.close());
  reported.peer = await RawPeer.open(client);
  return reported.peer;
}

/** Every `offer` the lane got and what it decided, to tell which path answered a request. */
export function watchLane(): { taken(id: string | number): boolean; offered(id: string | number): boolean[] } {
  const spy = vi.spyOn(FastLane.prototype, "offer");
  const decisions = (id: string | number) =>
    spy.mock.calls.flatMap(([m], i) => ((m as Msg).id === id && (m as Msg).method !== undefined ? [spy.mock.results[i]?.value as boolean] : []));
  return { taken: (id) => decisions(id).includes(true), offered: decisions };
}

/** The scripted requests of the parity test: [id, method, params]. */
export const SCRIPT: [string, string, Msg | undefined][] = [
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

/** Run `script` on `peer`, one request at a time, keyed by id: each answer, or "dropped". */
export async function runScript(peer: RawPeer, script: [string, string, Msg | undefined][]): Promise<Record<string, any>> {
  const answers: Record<string, Msg | "dropped"> = {};
  // One at a time, so both servers see the same sequence.
  for (const [id, method, params] of script) answers[id] = await peer.outcome(id, method, params);
  return answers;
}
