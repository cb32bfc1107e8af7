/**
 * The mcpkit Client's handlers (sampling, elicitation, roots, logs, progress,
 * list changes, resource updates) and per-call options (prompt arguments,
 * completion, ping, pagination, timeouts, cancellation, raiseOnError), against
 * mcpkit servers in memory in both eras and over HTTP.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Client, ToolCallError, type ClientOptions, type LogMessage, type ProgressUpdate } from "mcpkit/client";
import { connect } from "mcpkit/testing";
import { ErrorCodes, FastMCP, McpkitError, type HttpHandle } from "mcpkit";
import { deferred } from "./fixtures/wire.js";

const ERAS = ["legacy", "auto"] as const;
type Era = (typeof ERAS)[number];

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined);
});

function server(options: ConstructorParameters<typeof FastMCP>[0] = {}): FastMCP {
  const mcp = new FastMCP({ name: "handlers", logLevel: "silent", ...options });
  open.push(mcp);
  return mcp;
}

async function client(mcp: FastMCP, era: Era, options: ClientOptions = {}): Promise<Client> {
  const c = await connect(mcp, { era, ...options });
  open.push(c);
  return c;
}

async function listen(mcp: FastMCP, options: Parameters<FastMCP["listen"]>[0] = {}): Promise<HttpHandle> {
  const handle = await mcp.listen({ host: "127.0.0.1", port: 0, ...options });
  open.push(handle);
  return handle;
}

function text(result: { content: readonly { type: string }[] }): string {
  const first = result.content[0] as { type: string; text?: string } | undefined;
  return first?.type === "text" ? (first.text ?? "") : "";
}

/** A server whose tools use every client-side feature. */
function featureServer(): FastMCP {
  const mcp = server();
  mcp.tool({ name: "ask" }, async (_args, ctx) => {
    const reply = await ctx.sample("What is 2+2?", { systemPrompt: "Be brief." });
    return `${reply.text ?? "-"} from ${reply.result.model}`;
  });
  mcp.tool({ name: "signup" }, async (_args, ctx) => {
    const answer = await ctx.elicit("Your name?", z.object({ name: z.string() }));
    return answer.action === "accept" ? `hello ${answer.data.name}` : answer.action;
  });
  mcp.tool({ name: "roots" }, async (_args, ctx) => (await ctx.listRoots()).map((r) => r.uri).join(","));
  mcp.tool({ name: "chatty" }, async (_args, ctx) => {
    await ctx.info("starting", { step: 1 });
    await ctx.warning("careful");
    return "done";
  });
  mcp.tool({ name: "steps" }, async (_args, ctx) => {
    for (let i = 1; i <= 3; i++) await ctx.progress(i, 3, `step ${i}`);
    return "stepped";
  });
  return mcp;
}

describe.each(ERAS)("Client handlers in memory (%s era)", (era) => {
  it("a sampling handler that returns a string answers as a model named mcpkit-client", async () => {
    const seen: unknown[] = [];
    const c = await client(featureServer(), era, {
      sampling: (params) => {
        seen.push(params);
        return "4";
      },
    });
    expect(text(await c.callTool("ask"))).toBe("4 from mcpkit-client");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ messages: [{ role: "user", content: { type: "text", text: "What is 2+2?" } }], systemPrompt: "Be brief." });
  });

  it("a sampling handler can return a full CreateMessageResult", async () => {
    const c = await client(featureServer(), era, {
      sampling: async () => ({ role: "assistant", content: { type: "text", text: "four" }, model: "tiny-model", stopReason: "endTurn" }),
    });
    expect(text(await c.callTool("ask"))).toBe("four from tiny-model");
  });

  it("an elicitation handler that accepts sends its content to the tool", async () => {
    const requests: unknown[] = [];
    const c = await client(featureServer(), era, {
      elicitation: (request) => {
        requests.push(request);
        return { action: "accept", content: { name: "Ada" } };
      },
    });
    expect(text(await c.callTool("signup"))).toBe("hello Ada");
    expect(requests[0]).toMatchObject({ message: "Your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } });
  });

  it("an elicitation handler that declines is seen by the tool as a decline", async () => {
    const c = await client(featureServer(), era, { elicitation: () => ({ action: "decline" }) });
    expect(text(await c.callTool("signup"))).toBe("decline");
  });

  it("the roots given at connect are listed to the server, and setRoots replaces them", async () => {
    const mcp = featureServer();
    const notifications: string[] = [];
    mcp.use({
      async onNotification(m, next) {
        notifications.push(m.method);
        return next();
      },
    });
    const c = await client(mcp, era, { roots: [{ uri: "file:///work/a", name: "a" }] });
    expect(text(await c.callTool("roots"))).toBe("file:///work/a");

    await c.setRoots([
      { uri: "file:///work/b", name: "b" },
      { uri: "file:///work/c", name: "c" },
    ]);
    expect(text(await c.callTool("roots"))).toBe("file:///work/b,file:///work/c");
    if (era === "legacy") expect(notifications).toContain("notifications/roots/list_changed");
    else expect(notifications).not.toContain("notifications/roots/list_changed");
  });

  it("a per-call onProgress receives the tool's progress reports in order", async () => {
    const c = await client(featureServer(), era);
    const updates: ProgressUpdate[] = [];
    expect(text(await c.callTool("steps", {}, { onProgress: (u) => updates.push(u) }))).toBe("stepped");
    expect(updates).toEqual([
      { progress: 1, total: 3, message: "step 1" },
      { progress: 2, total: 3, message: "step 2" },
      { progress: 3, total: 3, message: "step 3" },
    ]);
  });

  it("a client-wide onProgress receives progress for every call, and a per-call handler takes its place for that call", async () => {
    const wide: number[] = [];
    const c = await client(featureServer(), era, { onProgress: (u) => wide.push(u.progress) });
    await c.callTool("steps");
    expect(wide).toEqual([1, 2, 3]);
    const own: number[] = [];
    await c.callTool("steps", {}, { onProgress: (u) => own.push(u.progress) });
    expect(own).toEqual([1, 2, 3]);
    expect(wide).toEqual([1, 2, 3]);
  });

  it("onLog receives the tool's ctx.info and ctx.warning messages with the server's name as logger", async () => {
    const logs: LogMessage[] = [];
    const c = await client(featureServer(), era, { onLog: (m) => logs.push(m) });
    expect(text(await c.callTool("chatty"))).toBe("done");
    expect(logs).toEqual([
      { level: "info", logger: "handlers", data: { msg: "starting", extra: { step: 1 } } },
      { level: "warning", logger: "handlers", data: "careful" },
    ]);
  });

  it("setLoggingLevel keeps only messages at that level and above", async () => {
    const logs: LogMessage[] = [];
    const c = await client(featureServer(), era, { onLog: (m) => logs.push(m) });
    await c.setLoggingLevel("warning");
    await c.callTool("chatty");
    expect(logs.map((l) => l.level)).toEqual(["warning"]);
  });

  it("a call's meta reaches the server in the request's _meta for tools, resources, prompts and completion", async () => {
    const mcp = featureServer();
    mcp.resource("data://x", () => "x");
    mcp.prompt({ name: "p", args: z.object({ a: z.string() }), complete: { a: () => ["one"] } }, ({ a }) => a);
    const seen: Record<string, unknown> = {};
    mcp.use({
      async onRequest(m, next) {
        seen[m.method] = (m.params as { _meta?: Record<string, unknown> })._meta?.["example.com/trace"];
        return next();
      },
    });
    const c = await client(mcp, era);
    const meta = { "example.com/trace": "t-1" };
    await c.callTool("chatty", {}, { meta });
    await c.readResource("data://x", { meta });
    await c.getPrompt("p", { a: "1" }, { meta });
    await c.complete({ type: "ref/prompt", name: "p" }, { name: "a", value: "" }, {}, { meta });
    expect(seen).toMatchObject({ "tools/call": "t-1", "resources/read": "t-1", "prompts/get": "t-1", "completion/complete": "t-1" });
  });

  it("onListChanged hears that the server added a tool, and the new tool is then listed", async () => {
    const mcp = featureServer();
    const changed = deferred<string>();
    const c = await client(mcp, era, { onListChanged: (list) => changed.resolve(list) });
    // The 2026 era has no push without a subscriptions/listen stream: subscribe() opens one.
    const subscription = await c.subscribe([]);
    mcp.tool({ name: "late" }, () => "here");
    expect(await changed.promise).toBe("tools");
    expect((await c.listTools()).map((t) => t.name)).toContain("late");
    await subscription.close();
  });

  it("onResourceUpdated hears about a subscribed resource, not about others", async () => {
    const mcp = featureServer();
    mcp.resource("watch://a", () => "a");
    mcp.resource("watch://b", () => "b");
    const updated: string[] = [];
    const first = deferred();
    const c = await client(mcp, era, {
      onResourceUpdated: (uri) => {
        updated.push(uri);
        first.resolve();
      },
    });
    const subscription = await c.subscribe(["watch://a"]);
    await mcp.notifyResourceUpdated("watch://b");
    await mcp.notifyResourceUpdated("watch://a");
    await first.promise;
    expect(updated).toEqual(["watch://a"]);
    await subscription.close();
  });
});

describe("Client handlers over HTTP", () => {
  const handlers = (logs: LogMessage[]): ClientOptions => ({
    sampling: () => "4",
    elicitation: () => ({ action: "accept", content: { name: "Grace" } }),
    roots: [{ uri: "file:///srv", name: "srv" }],
    onLog: (m) => logs.push(m),
  });

  it("a legacy client on a sessionful HTTP server answers pushed sampling, elicitation and roots requests and hears logs", async () => {
    const mcp = featureServer();
    const handle = await listen(mcp, { sessions: {} });
    const logs: LogMessage[] = [];
    const c = await Client.connect(handle.endpoint, { era: "legacy", ...handlers(logs) });
    open.push(c);
    expect(c.era).toBe("legacy");
    expect(text(await c.callTool("ask"))).toBe("4 from mcpkit-client");
    expect(text(await c.callTool("signup"))).toBe("hello Grace");
    expect(text(await c.callTool("roots"))).toBe("file:///srv");
    await c.callTool("chatty");
    expect(logs.map((l) => l.level)).toEqual(["info", "warning"]);
  });

  it("a legacy client on a sessionful HTTP server sends roots/list_changed from setRoots", async () => {
    const mcp = featureServer();
    const heard = deferred();
    mcp.use({
      async onNotification(m, next) {
        if (m.method === "notifications/roots/list_changed") heard.resolve();
        return next();
      },
    });
    const handle = await listen(mcp, { sessions: {} });
    const c = await Client.connect(handle.endpoint, { era: "legacy", roots: [] });
    open.push(c);
    await c.setRoots([{ uri: "file:///new" }]);
    await heard.promise;
    expect(text(await c.callTool("roots"))).toBe("file:///new");
  });

  for (const [era, sessions] of [
    ["legacy", true],
    ["auto", false],
  ] as const) {
    it(`onListChanged and onResourceUpdated work over HTTP (${era} era${sessions ? ", sessions" : ""})`, async () => {
      const mcp = featureServer();
      mcp.resource("watch://a", () => "a");
      const handle = await listen(mcp, sessions ? { sessions: {} } : {});
      const changed = deferred<string>();
      const updated = deferred<string>();
      const c = await Client.connect(handle.endpoint, {
        era,
        onListChanged: (list) => changed.resolve(list),
        onResourceUpdated: (uri) => updated.resolve(uri),
      });
      open.push(c);
      const subscription = await c.subscribe(["watch://a"]);
      mcp.tool({ name: "late" }, () => "here");
      expect(await changed.promise).toBe("tools");
      await mcp.notifyResourceUpdated("watch://a");
      expect(await updated.promise).toBe("watch://a");
      await subscription.close();
    });
  }

  it("a modern client over stateless HTTP answers sampling, elicitation and roots through input_required rounds", async () => {
    const mcp = featureServer();
    const handle = await listen(mcp);
    const logs: LogMessage[] = [];
    const c = await Client.connect(handle.endpoint, handlers(logs));
    open.push(c);
    expect(c.era).toBe("modern");
    expect(text(await c.callTool("ask"))).toBe("4 from mcpkit-client");
    expect(text(await c.callTool("signup"))).toBe("hello Grace");
    expect(text(await c.callTool("roots"))).toBe("file:///srv");
    const updates: number[] = [];
    await c.callTool("steps", {}, { onProgress: (u) => updates.push(u.progress) });
    expect(updates).toEqual([1, 2, 3]);
  });
});

describe.each(ERAS)("Client calls (%s era)", (era) => {
  it("getPrompt sends non-string arguments as JSON strings", async () => {
    const mcp = server();
    const received: unknown[] = [];
    mcp.use({
      async onGetPrompt(m, next) {
        received.push(m.params.arguments);
        return next();
      },
    });
    mcp.prompt(
      { name: "plan", args: z.object({ topic: z.string(), days: z.number(), tags: z.array(z.string()), strict: z.boolean() }) },
      ({ topic, days, tags, strict }) => `${topic} for ${days} days [${tags.join("|")}] strict=${String(strict)}`,
    );
    const c = await client(mcp, era);
    const result = await c.getPrompt("plan", { topic: "rust", days: 3, tags: ["a", "b"], strict: true });
    expect(received).toEqual([{ topic: "rust", days: "3", tags: '["a","b"]', strict: "true" }]);
    expect(result.messages[0]?.content).toEqual({ type: "text", text: "rust for 3 days [a|b] strict=true" });
  });

  it("complete() returns the server's suggestions for a prompt argument and for a template variable with context", async () => {
    const mcp = server();
    mcp.prompt(
      { name: "review", args: z.object({ language: z.string() }), complete: { language: (value) => ["python", "perl", "rust"].filter((l) => l.startsWith(value)) } },
      ({ language }) => `Review ${language}`,
    );
    mcp.resource(
      { uri: "weather://{country}/{city}", complete: { city: (value, context) => [`${value}slo@${context.arguments.country ?? "?"}`] } },
      ({ city }) => city,
    );
    const c = await client(mcp, era);
    const completion = await c.complete({ type: "ref/prompt", name: "review" }, { name: "language", value: "p" });
    expect(completion.values).toEqual(["python", "perl"]);
    const withContext = await c.complete({ type: "ref/resource", uri: "weather://{country}/{city}" }, { name: "city", value: "o" }, { country: "no" });
    expect(withContext.values).toEqual(["oslo@no"]);
  });

  it("ping() resolves", async () => {
    const c = await client(server(), era);
    await expect(c.ping()).resolves.toBeUndefined();
  });

  it("listTools, listResources and listPrompts follow every page", async () => {
    const mcp = server({ listPageSize: 2 });
    for (let i = 1; i <= 7; i++) {
      mcp.tool({ name: `tool_${i}` }, () => String(i));
      mcp.resource(`data://r${i}`, () => String(i));
      mcp.prompt({ name: `prompt_${i}` }, () => String(i));
    }
    const c = await client(mcp, era);
    expect((await c.listTools()).map((t) => t.name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `tool_${i}`));
    expect(await c.listResources()).toHaveLength(7);
    expect(await c.listPrompts()).toHaveLength(7);
  });

  it("a per-call timeoutMs rejects with MCPKIT_TIMEOUT, and the client keeps working", async () => {
    const mcp = server();
    const release = deferred();
    mcp.tool({ name: "hang" }, async () => {
      await release.promise;
      return "late";
    });
    mcp.tool({ name: "quick" }, () => "quick");
    const c = await client(mcp, era);
    const error = await c.callTool("hang", {}, { timeoutMs: 50 }).catch((e: unknown) => e);
    release.resolve();
    expect(error).toBeInstanceOf(McpkitError);
    expect((error as McpkitError).code).toBe(ErrorCodes.TIMEOUT);
    expect(text(await c.callTool("quick"))).toBe("quick");
  });

  it("aborting a call's signal rejects it with MCPKIT_CANCELLED and aborts the handler's ctx.signal", async () => {
    const mcp = server();
    const started = deferred();
    const aborted = deferred<boolean>();
    mcp.tool({ name: "slow" }, async (_args, ctx) => {
      started.resolve();
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      aborted.resolve(ctx.signal.aborted);
      return "stopped";
    });
    const c = await client(mcp, era);
    const controller = new AbortController();
    const call = c.callTool("slow", {}, { signal: controller.signal }).catch((e: unknown) => e);
    await started.promise;
    controller.abort(new Error("user gave up"));
    expect(await aborted.promise).toBe(true);
    const error = await call;
    expect(error).toBeInstanceOf(McpkitError);
    expect((error as McpkitError).code).toBe(ErrorCodes.CANCELLED);
    expect((error as McpkitError).message).toContain("user gave up");
  });

  it("a call with an already aborted signal is rejected as MCPKIT_CANCELLED and never runs the tool", async () => {
    const mcp = server();
    let ran = 0;
    mcp.tool({ name: "count" }, () => String(++ran));
    const c = await client(mcp, era);
    const error = await c.callTool("count", {}, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as McpkitError).code).toBe(ErrorCodes.CANCELLED);
    expect(text(await c.callTool("count"))).toBe("1");
  });

  it("raiseOnError is on by default, can be turned off per client, and a call can turn it back on", async () => {
    const mcp = server();
    mcp.tool({ name: "broken" }, () => {
      throw new Error("boom");
    });
    const strict = await client(mcp, era);
    const failure = await strict.callTool("broken").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolCallError);
    expect((failure as ToolCallError).result.isError).toBe(true);
    expect((failure as ToolCallError).message).toContain("boom");
    expect((await strict.callTool("broken", {}, { raiseOnError: false })).isError).toBe(true);

    const lenient = await client(mcp, era, { raiseOnError: false });
    const result = await lenient.callTool("broken");
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("boom");
    await expect(lenient.callTool("broken", {}, { raiseOnError: true })).rejects.toBeInstanceOf(ToolCallError);
  });
});
