/**
 * The fast lane (src/protocol/fast-lane.ts) answers the common requests of an
 * established 2025-era connection without the SDK server. These tests hold the
 * lane to the SDK path: the same host served by a bare SDK server (no lane)
 * must answer every scripted request identically.
 */
import { afterEach, describe, expect, it } from "vitest";
import { envelope, LEGACY } from "./fixtures/wire.js";
import { Ask } from "../src/index.js";
import { addChatty, closeAll, type Msg, RawPeer, richServer, runScript, SCRIPT, viaLane, viaSdk, viaSdkEntry, watchLane } from "./fast-lane-support.js";

afterEach(closeAll);

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
    addChatty(mcp);
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

describe("fast lane parity with the SDK path (2026-07-28)", () => {
  /** `params` with the modern envelope added to its `_meta` (`extra` on top: capabilities, log level). */
  const modern = (params: Msg | undefined, extra: Msg = {}): Msg => {
    const p = params ?? {};
    const meta = typeof p._meta === "object" && p._meta !== null ? p._meta : {};
    return { ...p, _meta: { ...meta, ...envelope(), ...extra } };
  };
  const caps = (c: Msg): Msg => ({ "io.modelcontextprotocol/clientCapabilities": c });

  it("answers every scripted request, its notifications included, exactly as the SDK's entry on the same host does", async () => {
    const mcp = richServer();
    addChatty(mcp);
    mcp.tool({ name: "ask" }, async (_args, ctx) => (await ctx.elicit("Sure?", undefined, { key: "confirm" })).action);
    mcp.tool({ name: "sample" }, async (_args, ctx) => (await ctx.sample("Summarise", { key: "s" })).text ?? "");
    mcp.tool({ name: "gather" }, async (_args, ctx) => {
      const both = await ctx.gather({ roots: Ask.roots(), ok: Ask.elicit("Sure?") });
      return both.roots.length;
    });
    const script: [string, string, Msg | undefined][] = [
      ...SCRIPT.filter(([id]) => !id.startsWith("malformed")).map(([id, method, params]) => [id, method, modern(params)] as [string, string, Msg]),
      ["chatty, level info", "tools/call", modern({ name: "chatty", arguments: {}, _meta: { progressToken: "t" } }, { "io.modelcontextprotocol/logLevel": "info" })],
      ["chatty, no level", "tools/call", modern({ name: "chatty", arguments: {}, _meta: { progressToken: 3 } })],
      ["ask, form declared", "tools/call", modern({ name: "ask", arguments: {} }, caps({ elicitation: { form: {} } }))],
      ["ask, url only", "tools/call", modern({ name: "ask", arguments: {} }, caps({ elicitation: { url: {} } }))],
      ["ask, nothing declared", "tools/call", modern({ name: "ask", arguments: {} })],
      ["sample, declared", "tools/call", modern({ name: "sample", arguments: {} }, caps({ sampling: {} }))],
      ["sample, not declared", "tools/call", modern({ name: "sample", arguments: {} }, caps({ roots: {} }))],
      ["gather, all declared", "tools/call", modern({ name: "gather", arguments: {} }, caps({ roots: {}, elicitation: {} }))],
      ["gather, roots missing", "tools/call", modern({ name: "gather", arguments: {} }, caps({ elicitation: {} }))],
    ];
    const lane = watchLane();
    const transcripts: Msg[][] = [];
    for (const open of [viaLane, viaSdkEntry]) {
      const peer = await open(mcp);
      await peer.request("d", "server/discover", { _meta: envelope() });
      // The SDK's entry pins the era on the first request after discovery: the lane leaves that one to it.
      await peer.request("pin", "tools/list", { _meta: envelope() });
      for (const [id, method, params] of script) {
        await peer.request(id, method, params);
        await peer.roundTrip();
      }
      transcripts.push(JSON.parse(JSON.stringify(peer.inbox).replace(/"requestState":"[^"]+"/g, '"requestState":"<minted>"').replace(/"id":"ping-[^"]+"/g, '"id":"ping"')));
    }
    expect(transcripts[0]).toEqual(transcripts[1]);
    expect(lane.taken("pin")).toBe(false);
    for (const [id] of script) expect(lane.taken(id), id).toBe(true);
    // Not vacuous: the questions were asked, and refused where the capability is missing.
    const answers = new Map((transcripts[0] as Msg[]).filter((m) => m.id !== undefined).map((m) => [m.id, m]));
    expect(answers.get("ask, form declared")?.result.resultType).toBe("input_required");
    expect(answers.get("ask, nothing declared")?.error.code).toBe(-32021);
    expect((transcripts[0] as Msg[]).filter((m) => m.method === "notifications/message").length).toBe(1);
  });
});
