/**
 * Which requests the fast lane (src/protocol/fast-lane.ts) leaves to the SDK
 * server: the handshake and other methods, malformed params, an id still in
 * flight, requests before the handshake and the whole 2026-07-28 era; and the
 * lane over a real stdio transport.
 */
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Connections } from "../src/protocol/connections.js";
import { serveConnection } from "../src/protocol/serve-connection.js";
import { StdioTransport } from "../src/protocol/stdio-transport.js";
import { deferred, envelope, LEGACY, MODERN } from "./fixtures/wire.js";
import { closeAll, closers, hostOf, type Msg, richServer, viaLane, viaSdk, watchLane } from "./fast-lane-support.js";

afterEach(closeAll);

describe("fast lane requests on a 2025-11-25 connection", () => {
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
  it("answers the requests carrying the envelope itself, once the SDK's entry has pinned the era on the first", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const peer = await viaLane(mcp);
    const discover = await peer.request("d", "server/discover", { _meta: envelope() });
    expect(discover.result.supportedVersions).toContain(MODERN);
    const pin = await peer.request("pin", "tools/list", { _meta: envelope() });
    expect(pin.result.resultType).toBe("complete");
    expect(lane.taken("pin")).toBe(false);

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

    for (const id of [1, 2, 3, 4, 5]) expect(lane.taken(id), String(id)).toBe(true);
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
    await peer.request("pin", "tools/list", { _meta: envelope() });
    const first = await peer.request(1, "tools/call", { name: "ask", arguments: {}, _meta: envelope({ elicitation: { form: {} } }) });
    expect(first.result.resultType).toBe("input_required");
    expect(peer.inbox.some((m) => m.method === "elicitation/create")).toBe(false);
    expect(lane.taken(1)).toBe(true);
    // The retry carries the request state, which the SDK verifies: it goes to the SDK path, and the state minted on the lane holds there.
    const second = await peer.request(2, "tools/call", {
      name: "ask",
      arguments: {},
      requestState: first.result.requestState,
      inputResponses: { [Object.keys(first.result.inputRequests)[0] as string]: { action: "accept", content: { name: "Ada" } } },
      _meta: envelope({ elicitation: { form: {} } }),
    });
    expect(second.result.content).toEqual([{ type: "text", text: "hello Ada" }]);
    expect(lane.taken(2)).toBe(false);
  });

  it("leaves a request whose envelope the SDK refuses to the SDK, which answers its error", async () => {
    const mcp = richServer();
    const lane = watchLane();
    const peer = await viaLane(mcp);
    await peer.request("d", "server/discover", { _meta: envelope() });
    const bad = { ...envelope(), "io.modelcontextprotocol/clientCapabilities": "none" };
    const answer = await peer.request(1, "tools/list", { _meta: bad });
    expect(answer.error?.code).toBe(-32602);
    expect(lane.taken(1)).toBe(false);
    // The first valid request pins the era in the SDK's entry; the lane answers from the next one on.
    const good = await peer.request(2, "tools/list", { _meta: envelope() });
    expect(good.result.tools.length).toBeGreaterThan(0);
    expect(lane.taken(2)).toBe(false);
    await peer.request(3, "tools/list", { _meta: envelope() });
    expect(lane.taken(3)).toBe(true);
  });
});
