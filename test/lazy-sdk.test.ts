/**
 * A long-lived 2025-era connection answers its handshake, `ping` and the
 * common requests before the MCP SDK is loaded (src/protocol/bare-connection.ts),
 * and hands itself to the SDK on the first message that needs it
 * (src/protocol/serve-connection.ts). Over real stdio, a preloaded resolve
 * hook records whether the child process ever loaded the SDK's server
 * package or hono; in memory, a raw peer checks the hand-over keeps the connection's
 * state and the middleware's view of it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP } from "../src/index.js";
import { LEGACY_PROTOCOL_VERSIONS, MODERN } from "../src/protocol/versions.js";
import { killAll, rawPeer } from "./child-process.js";
import { closeAll, viaLane, type Msg } from "./fast-lane-support.js";
import { LEGACY } from "./fixtures/wire.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RECORDER = fileURLToPath(new URL("./fixtures/record-imports.mjs", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "mcpkit-lazy-sdk-"));
const children = new Set<ChildProcessWithoutNullStreams>();

afterEach(async () => {
  await killAll(children);
  await closeAll();
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The stdio fixture server in a child process whose SDK and hono imports are written to `record`. */
function spawnRecorded(record: string): ReturnType<typeof rawPeer> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", RECORDER, "test/fixtures/stdio-server.ts"], {
    cwd: ROOT,
    env: { ...process.env, MCPKIT_TRANSPORT: "", MCPKIT_PORT: "", MCPKIT_RECORD_IMPORTS: record },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  return rawPeer(child);
}

function recorded(record: string): string[] {
  try {
    return readFileSync(record, "utf8").split("\n").filter((line) => line !== "");
  } catch {
    return [];
  }
}

const INIT = { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "raw", version: "1.0.0" } };

describe("a stdio server before the SDK is needed", () => {
  it("answers the handshake, ping, tools/list and tools/call without loading the SDK or hono", async () => {
    const record = join(scratch, "common.txt");
    const peer = spawnRecorded(record);
    const init = await peer.request(1, "initialize", INIT);
    expect(init.result).toMatchObject({ protocolVersion: LEGACY, serverInfo: { name: "stdio-fixture", version: "1.0.0" }, capabilities: { tools: { listChanged: true } } });
    peer.notify("notifications/initialized");
    expect((await peer.request(2, "ping")).result).toEqual({});
    const list = await peer.request(3, "tools/list");
    expect((list.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(["echo", "noisy", "pid"]);
    const call = await peer.request(4, "tools/call", { name: "echo", arguments: { text: "bare" } });
    expect(call.result).toEqual({ content: [{ type: "text", text: "echo: bare" }] });
    const invalid = await peer.request(5, "tools/call", { name: "echo", arguments: { text: 7 } });
    expect((invalid.result as { isError?: boolean }).isError).toBe(true);
    expect(recorded(record)).toEqual([]);
  });

  it("loads the SDK on the first request that needs it, and the connection keeps its handshake", async () => {
    const record = join(scratch, "upgrade.txt");
    const peer = spawnRecorded(record);
    await peer.request(1, "initialize", INIT);
    peer.notify("notifications/initialized");
    expect((await peer.request(2, "logging/setLevel", { level: "debug" })).result).toEqual({});
    expect(recorded(record).some((url) => url.includes("/@modelcontextprotocol/server/dist/index.mjs"))).toBe(true);
    // The SDK, not HTTP: hono stays unloaded.
    expect(recorded(record).filter((url) => url.includes("hono"))).toEqual([]);
    const call = await peer.request(3, "tools/call", { name: "echo", arguments: { text: "after" } });
    expect(call.result).toEqual({ content: [{ type: "text", text: "echo: after" }] });
    // One answer per request, none to the replayed handshake.
    expect(peer.lines.map((line) => (JSON.parse(line) as Msg).id)).toEqual([1, 2, 3]);
  });
});

describe("a connection handed to the SDK", () => {
  it("runs the middleware's initialize once, and never writes the replayed handshake", async () => {
    const mcp = new FastMCP({ name: "lazy", version: "1.0.0", logLevel: "silent" });
    const seen: string[] = [];
    mcp.use({
      async onRequest(m, next) {
        seen.push(m.method);
        return next();
      },
    });
    mcp.tool({ name: "echo", input: z.object({ text: z.string() }) }, ({ text }) => text);
    const peer = await viaLane(mcp);
    await peer.initialize();
    await peer.request("ping-1", "ping");
    expect((await peer.request("level", "logging/setLevel", { level: "info" })).result).toEqual({});
    expect((await peer.request("call", "tools/call", { name: "echo", arguments: { text: "hi" } })).result).toEqual({ content: [{ type: "text", text: "hi" }] });
    await peer.request("ping-2", "ping");
    expect(seen).toEqual(["initialize", "ping", "logging/setLevel", "tools/call", "ping"]);
    expect(peer.inbox.map((m) => m.id)).toEqual(["init", "ping-1", "level", "call", "ping-2"]);
  });

  it("keeps the client's capabilities: a tool's elicitation reaches the client and gets its answer", async () => {
    const mcp = new FastMCP({ name: "lazy", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "book" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Seats?", z.object({ seats: z.number() }));
      return answer.action === "accept" ? `booked ${answer.data.seats}` : answer.action;
    });
    const peer = await viaLane(mcp);
    await peer.initialize({ elicitation: { form: {} } });
    const result = peer.request("book", "tools/call", { name: "book", arguments: {} });
    const asked = await peer.next((m) => m.method === "elicitation/create");
    expect(asked.params).toMatchObject({ message: "Seats?" });
    await peer.send({ jsonrpc: "2.0", id: asked.id, result: { action: "accept", content: { seats: 2 } } });
    expect((await result).result).toEqual({ content: [{ type: "text", text: "booked 2" }] });
  });

  it("answers every request that arrived while the SDK was loading, once", async () => {
    const mcp = new FastMCP({ name: "lazy", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "n", input: z.object({ n: z.number() }) }, ({ n }) => String(n));
    const peer = await viaLane(mcp);
    await peer.initialize();
    const answers = await Promise.all([
      peer.request("level", "logging/setLevel", { level: "info" }),
      peer.request("a", "tools/call", { name: "n", arguments: { n: 1 } }),
      peer.request("b", "tools/list"),
      peer.request("c", "tools/call", { name: "n", arguments: { n: 2 } }),
    ]);
    expect(answers.map((m) => m.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(answers[1]?.result).toEqual({ content: [{ type: "text", text: "1" }] });
    expect(answers[3]?.result).toEqual({ content: [{ type: "text", text: "2" }] });
    // Answers to concurrent requests may come in any order (JSON-RPC matches them by id).
    expect(peer.inbox.map((m) => m.id).sort()).toEqual(["a", "b", "c", "init", "level"]);
  });

  it("notifies resource subscriptions made after the handshake", async () => {
    const mcp = new FastMCP({ name: "lazy", version: "1.0.0", logLevel: "silent" });
    mcp.resource("config://motd", () => "hello");
    const peer = await viaLane(mcp);
    await peer.initialize();
    expect((await peer.request("sub", "resources/subscribe", { uri: "config://motd" })).result).toEqual({});
    await mcp.notifyResourceUpdated("config://motd");
    expect((await peer.next((m) => m.method === "notifications/resources/updated")).params).toEqual({ uri: "config://motd" });
  });
});

describe("list changes", () => {
  it("reach a connection before and after it is handed to the SDK, once each", async () => {
    const mcp = new FastMCP({ name: "lazy", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "first" }, () => "1");
    const peer = await viaLane(mcp);
    await peer.initialize();
    mcp.tool({ name: "second" }, () => "2");
    await peer.next((m) => m.method === "notifications/tools/list_changed");
    await peer.request("level", "logging/setLevel", { level: "info" });
    mcp.tool({ name: "third" }, () => "3");
    await peer.roundTrip();
    await peer.next((m) => m.method === "notifications/tools/list_changed" && peer.inbox.indexOf(m) > 2);
    await peer.roundTrip();
    expect(peer.inbox.filter((m) => m.method === "notifications/tools/list_changed")).toHaveLength(2);
    const list = await peer.request("list", "tools/list");
    expect((list.result as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(["first", "second", "third"]);
  });
});

describe("the handshake answered without the SDK", () => {
  it("offers the 2025-era revisions the SDK's server offers, in its order", () => {
    expect(LEGACY_PROTOCOL_VERSIONS).toEqual(SUPPORTED_PROTOCOL_VERSIONS.filter((version) => version < MODERN));
  });

  it("negotiates as the SDK does: a revision it does not know gets the newest 2025-era one", async () => {
    const mcp = new FastMCP({ name: "lazy", version: "1.0.0", logLevel: "silent", instructions: "Be brief." });
    const peer = await viaLane(mcp);
    const answer = await peer.request("init", "initialize", { ...INIT, protocolVersion: "2025-06-18" });
    expect(answer.result).toMatchObject({ protocolVersion: "2025-06-18", instructions: "Be brief.", serverInfo: { name: "lazy", version: "1.0.0" } });
    const other = await viaLane(mcp);
    const unknown = await other.request("init", "initialize", { ...INIT, protocolVersion: "2099-01-01" });
    expect(unknown.result).toMatchObject({ protocolVersion: LEGACY_PROTOCOL_VERSIONS[0] });
  });
});
