import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorCodes, McpkitError, type Middleware, type MiddlewareContext } from "../src/index.js";
import { rejectionOf, texts, useServers } from "./support.js";

const { server, client } = useServers();

/** A middleware that records entering and leaving each of its hooks. */
function tracer(name: string, log: string[]): Middleware {
  const hook =
    (kind: string) =>
    async (_ctx: MiddlewareContext<any>, next: () => Promise<any>) => {
      log.push(`${name}.${kind}>`);
      try {
        return await next();
      } finally {
        log.push(`<${name}.${kind}`);
      }
    };
  return { onMessage: hook("message"), onRequest: hook("request"), onCallTool: hook("callTool"), onListTools: hook("listTools") };
}

describe("middleware order", () => {
  it("runs the first added outermost, onMessage around onRequest around onCallTool", async () => {
    const log: string[] = [];
    const mcp = server({ middleware: [tracer("A", log)] });
    mcp.use(tracer("B", log));
    mcp.tool("t", () => {
      log.push("handler");
      return "ok";
    });
    const c = await client(mcp);
    log.length = 0; // the handshake passed through too; this test is about the call

    await c.callTool({ name: "t", arguments: {} });

    expect(log).toEqual([
      "A.message>",
      "A.request>",
      "A.callTool>",
      "B.message>",
      "B.request>",
      "B.callTool>",
      "handler",
      "<B.callTool",
      "<B.request",
      "<B.message",
      "<A.callTool",
      "<A.request",
      "<A.message",
    ]);
  });

  it("applies middleware added after a client connected to that client's next requests", async () => {
    const mcp = server();
    mcp.tool("t", () => "plain");
    const c = await client(mcp);
    expect(texts(await c.callTool({ name: "t", arguments: {} }))).toEqual(["plain"]);

    mcp.use({ onCallTool: async () => ({ content: [{ type: "text", text: "intercepted" }] }) });

    expect(texts(await c.callTool({ name: "t", arguments: {} }))).toEqual(["intercepted"]);
  });

  it("runs only the hooks for the method at hand", async () => {
    const log: string[] = [];
    const mcp = server({ middleware: [tracer("A", log)] });
    mcp.tool("t", () => "ok");
    const c = await client(mcp);
    log.length = 0; // the handshake passed through too; this test is about the list

    await c.listTools();

    expect(log).toEqual(["A.message>", "A.request>", "A.listTools>", "<A.listTools", "<A.request", "<A.message"]);
  });

  it("calls the per-operation hook of every method with its params", async () => {
    const seen: string[] = [];
    const record = (label: string) => async (ctx: MiddlewareContext<any>, next: () => Promise<any>) => {
      seen.push(`${label} ${ctx.method} ${JSON.stringify(ctx.params.uri ?? ctx.params.name ?? ctx.params.ref?.name ?? "")}`);
      return next();
    };
    const mcp = server({
      middleware: [
        {
          onListResources: record("listResources"),
          onListResourceTemplates: record("listTemplates"),
          onReadResource: record("read"),
          onListPrompts: record("listPrompts"),
          onGetPrompt: record("getPrompt"),
          onComplete: record("complete"),
          onSubscribe: record("subscribe"),
          onUnsubscribe: record("unsubscribe"),
        },
      ],
    });
    mcp.resource("r://x", () => "x");
    mcp.resource("r://{id}", ({ id }) => id);
    mcp.prompt({ name: "p", args: z.object({ a: z.string() }), complete: { a: () => ["one"] } }, ({ a }) => a);
    const c = await client(mcp);

    await c.listResources();
    await c.listResourceTemplates();
    await c.readResource({ uri: "r://x" });
    await c.listPrompts();
    await c.getPrompt({ name: "p", arguments: { a: "1" } });
    await c.complete({ ref: { type: "ref/prompt", name: "p" }, argument: { name: "a", value: "" } });
    await c.subscribeResource({ uri: "r://x" });
    await c.unsubscribeResource({ uri: "r://x" });

    expect(seen).toEqual([
      'listResources resources/list ""',
      'listTemplates resources/templates/list ""',
      'read resources/read "r://x"',
      'listPrompts prompts/list ""',
      'getPrompt prompts/get "p"',
      'complete completion/complete "p"',
      'subscribe resources/subscribe "r://x"',
      'unsubscribe resources/unsubscribe "r://x"',
    ]);
  });
});

describe("middleware rewriting", () => {
  it("rewrites a call's arguments through next(newParams)", async () => {
    const mcp = server();
    mcp.use({
      onCallTool: (ctx, next) => next({ ...ctx.params, arguments: { ...ctx.params.arguments, b: 100 } }),
    });
    mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => a + b);
    const c = await client(mcp);

    const result = await c.callTool({ name: "add", arguments: { a: 1, b: 2 } });

    expect(result.content).toEqual([{ type: "text", text: "101" }]);
  });

  it("lets an outer layer's rewrite reach inner layers and the handler", async () => {
    const innerSaw: unknown[] = [];
    const mcp = server();
    mcp.use({ onMessage: (ctx, next) => next({ ...ctx.params, name: "real" }) });
    mcp.use({
      onCallTool: (ctx, next) => {
        innerSaw.push(ctx.params.name);
        return next();
      },
    });
    mcp.tool("real", () => "reached real");
    const c = await client(mcp);

    const result = await c.callTool({ name: "alias", arguments: {} });

    expect(innerSaw).toEqual(["real"]);
    expect(texts(result)).toEqual(["reached real"]);
  });

  it("can answer a call itself without running the tool", async () => {
    let ran = false;
    const mcp = server();
    mcp.use({ onCallTool: async () => ({ content: [{ type: "text", text: "from cache" }] }) });
    mcp.tool("t", () => {
      ran = true;
      return "fresh";
    });
    const c = await client(mcp);

    expect(texts(await c.callTool({ name: "t", arguments: {} }))).toEqual(["from cache"]);
    expect(ran).toBe(false);
  });

  it("can change a call's result on its way out", async () => {
    const mcp = server();
    mcp.use({
      onCallTool: async (_ctx, next) => {
        const result = await next();
        return { ...result, _meta: { ...result._meta, audited: true } };
      },
    });
    mcp.tool("t", () => "x");

    expect(await mcp.callTool("t")).toEqual({ content: [{ type: "text", text: "x" }], _meta: { audited: true } });
  });

  it("filters tools out of the list with onListTools", async () => {
    const mcp = server();
    mcp.use({ onListTools: async (_ctx, next) => (await next()).filter((tool) => !tool.base.tags.includes("admin")) });
    mcp.tool({ name: "public" }, () => "x");
    mcp.tool({ name: "secret", tags: ["admin"] }, () => "x");
    const c = await client(mcp);

    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["public"]);
    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["public"]);
  });

  it("fails with INVALID_RESULT when middleware produces no result object", async () => {
    const mcp = server();
    mcp.use({ onCallTool: async () => undefined as never });
    mcp.tool("t", () => "x");

    const error = await rejectionOf(mcp.callTool("t"));

    expect(error).toBeInstanceOf(McpkitError);
    expect(error.code).toBe(ErrorCodes.INVALID_RESULT);
  });
});

describe("middleware context", () => {
  it("shares ctx.state set in middleware with the handler", async () => {
    const mcp = server();
    mcp.use({
      onRequest: async (ctx, next) => {
        ctx.context.state.set("user", "ada");
        return next();
      },
    });
    mcp.tool("whoami", (_args, ctx) => `user=${String(ctx.state.get("user"))}`);
    const c = await client(mcp);

    expect(texts(await c.callTool({ name: "whoami", arguments: {} }))).toEqual(["user=ada"]);
  });

  it("gives each request its own state", async () => {
    const mcp = server();
    let count = 0;
    mcp.use({
      onCallTool: async (ctx, next) => {
        ctx.context.state.set("n", ++count);
        return next();
      },
    });
    mcp.tool("n", (_args, ctx) => `${String(ctx.state.get("n"))} of ${ctx.state.size}`);
    const c = await client(mcp);

    expect(texts(await c.callTool({ name: "n", arguments: {} }))).toEqual(["1 of 1"]);
    expect(texts(await c.callTool({ name: "n", arguments: {} }))).toEqual(["2 of 1"]);
  });

  it("sees failing requests too: an unknown tool reaches middleware before the client's error", async () => {
    const outcomes: string[] = [];
    const mcp = server();
    mcp.use({
      onCallTool: async (ctx, next) => {
        try {
          return await next();
        } catch (error) {
          outcomes.push(`${ctx.params.name}: ${(error as McpkitError).code}`);
          throw error;
        }
      },
    });
    const c = await client(mcp);

    const error = await rejectionOf(c.callTool({ name: "missing", arguments: {} }));

    expect(error.code).toBe(-32602);
    expect(outcomes).toEqual(["missing: MCPKIT_NOT_FOUND"]);
  });

  it("sees a tool's error result as a result, not an exception", async () => {
    const results: unknown[] = [];
    const mcp = server();
    mcp.use({
      onCallTool: async (_ctx, next) => {
        const result = await next();
        results.push(result.isError);
        return result;
      },
    });
    mcp.tool("bad", () => {
      throw new Error("no");
    });

    await mcp.callTool("bad");

    expect(results).toEqual([true]);
  });

  it("marks wire calls with source client and in-process calls with source in-process", async () => {
    const seen: string[] = [];
    const mcp = server();
    mcp.use({
      onMessage: async (ctx, next) => {
        seen.push(`${ctx.method} ${ctx.source} ${ctx.type}`);
        return next();
      },
    });
    mcp.tool("t", () => "x");
    mcp.resource("r://x", () => "x");
    const c = await client(mcp);
    seen.length = 0; // the handshake is seen too (as client messages); this test is about the operations

    await c.callTool({ name: "t", arguments: {} });
    await mcp.callTool("t");
    await mcp.listTools();
    await mcp.readResource("r://x");

    expect(seen).toEqual([
      "tools/call client request",
      "tools/call in-process request",
      "tools/list in-process request",
      "resources/read in-process request",
    ]);
  });

  it("runs ctx.readResource from a handler through middleware, in process, with the caller's state", async () => {
    const seen: string[] = [];
    const mcp = server();
    mcp.use({
      onCallTool: async (ctx, next) => {
        ctx.context.state.set("tenant", "acme");
        return next();
      },
      onReadResource: async (ctx, next) => {
        seen.push(`${ctx.params.uri} ${ctx.source} tenant=${String(ctx.context.state.get("tenant"))}`);
        return next();
      },
    });
    mcp.resource("config://x", (_p, ctx) => `for ${String(ctx.state.get("tenant"))}`);
    mcp.tool("read", async (_args, ctx) => ((await ctx.readResource("config://x")).contents[0] as { text: string }).text);
    const c = await client(mcp);

    const result = await c.callTool({ name: "read", arguments: {} });

    expect(texts(result)).toEqual(["for acme"]);
    expect(seen).toEqual(["config://x in-process tenant=acme"]);
  });

  it("gives middleware the request context the handler gets", async () => {
    const mcp = server({ lifespan: () => ({ db: "pool" }) });
    let middlewareLifespan: unknown;
    mcp.use({
      onCallTool: async (ctx, next) => {
        middlewareLifespan = ctx.context.lifespan;
        return next();
      },
    });
    mcp.tool("t", (_args, ctx) => String(ctx.lifespan.db));

    expect(texts(await mcp.callTool("t"))).toEqual(["pool"]);
    expect(middlewareLifespan).toEqual({ db: "pool" });
  });
});

describe("middleware around protocol-level messages", () => {
  for (const mode of ["legacy", "auto"] as const) {
    it(`sees the handshake, pings and client notifications as well as operations (${mode})`, async () => {
      const mcp = server();
      const seen: string[] = [];
      const kinds: string[] = [];
      mcp.use({
        async onMessage(m, next) {
          seen.push(m.method);
          return next();
        },
        async onNotification(m, next) {
          kinds.push(`notification:${m.method}`);
          return next();
        },
        async onInitialize(m, next) {
          kinds.push(`initialize:${String((m.params as { clientInfo?: { name?: string } }).clientInfo?.name)}`);
          return next();
        },
      });
      mcp.tool("noop", () => "ok");
      const c = await client(mcp, { mode, capabilities: { roots: { listChanged: true } } });
      await c.callTool({ name: "noop", arguments: {} });
      if (mode === "legacy") {
        await c.ping();
        await c.sendRootsListChanged();
        // A round trip after the notification, so it has been handled before the assertions.
        await c.callTool({ name: "noop", arguments: {} });
      }
      expect(seen).toContain("tools/call");
      if (mode === "legacy") {
        expect(seen.slice(0, 2)).toEqual(["initialize", "notifications/initialized"]);
        expect(seen).toContain("ping");
        expect(seen).toContain("notifications/roots/list_changed");
        expect(kinds).toContain("initialize:test-client");
        expect(kinds).toContain("notification:notifications/initialized");
        expect(kinds).toContain("notification:notifications/roots/list_changed");
      } else {
        expect(seen[0]).toBe("server/discover");
        expect(kinds.some((k) => k.startsWith("initialize:"))).toBe(false);
      }
    });
  }

  it("can refuse the handshake: the client's connect fails with the middleware's error", async () => {
    const mcp = server();
    mcp.use({
      async onInitialize() {
        throw new McpkitError(ErrorCodes.INVALID_ARGUMENTS, "clients named test-client are not welcome");
      },
    });
    await expect(client(mcp, { mode: "legacy" })).rejects.toThrow(/not welcome/);
  });
});
