/**
 * What a handler on the fast lane (src/protocol/fast-lane.ts) can do through
 * its context on a 2025-era connection: logging, progress, cancellation and
 * elicitation, and the middleware that runs around lane requests.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP, ToolError, type Middleware } from "../src/index.js";
import { deferred } from "./fixtures/wire.js";
import { closeAll, closers, type Msg, richServer, viaLane, viaSdk, watchLane } from "./fast-lane-support.js";

afterEach(closeAll);

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
});
