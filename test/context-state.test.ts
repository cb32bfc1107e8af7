import type { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { FastMCP, type Context, type RequestInfo, type SessionInfo } from "../src/index.js";
import { connectClient } from "./helpers.js";

const MODES = ["legacy", "auto"] as const;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function serve(mcp: FastMCP<any>, mode: (typeof MODES)[number], capabilities: Record<string, unknown> = {}): Promise<Client> {
  const client = await connectClient(mcp, { mode, capabilities });
  open.push(mcp, client);
  return client;
}

function text(result: { content?: unknown }): string {
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}

describe.each(MODES)("ctx.state (%s client)", (mode) => {
  it("holds what a middleware set before the handler ran", async () => {
    const mcp = new FastMCP({ name: "State" });
    mcp.use({
      onCallTool: async (m, next) => {
        m.context.state.set("user", "ada");
        return next();
      },
    });
    mcp.tool({ name: "whoami" }, (_args, ctx) => `user=${String(ctx.state.get("user"))}`);
    const client = await serve(mcp, mode);

    expect(text(await client.callTool({ name: "whoami", arguments: {} }))).toBe("user=ada");
  });

  it("lets a middleware read back what the handler stored", async () => {
    const mcp = new FastMCP({ name: "State" });
    const seen: unknown[] = [];
    mcp.use({
      onCallTool: async (m, next) => {
        const result = await next();
        seen.push(m.context.state.get("rows"));
        return result;
      },
    });
    mcp.tool({ name: "count" }, (_args, ctx) => {
      ctx.state.set("rows", 42);
      return "counted";
    });
    const client = await serve(mcp, mode);

    await client.callTool({ name: "count", arguments: {} });

    expect(seen).toEqual([42]);
  });

  it("is fresh for every request", async () => {
    const mcp = new FastMCP({ name: "State" });
    mcp.tool({ name: "bump" }, (_args, ctx) => {
      const n = ((ctx.state.get("n") as number | undefined) ?? 0) + 1;
      ctx.state.set("n", n);
      return String(n);
    });
    const client = await serve(mcp, mode);

    expect(text(await client.callTool({ name: "bump", arguments: {} }))).toBe("1");
    expect(text(await client.callTool({ name: "bump", arguments: {} }))).toBe("1");
  });
});

describe.each(MODES)("ctx.readResource (%s client)", (mode) => {
  it("reads through the middleware chain and shares the request state", async () => {
    const mcp = new FastMCP({ name: "Reader" });
    const reads: { uri: string; source: string; user: unknown }[] = [];
    mcp.use({
      onCallTool: async (m, next) => {
        m.context.state.set("user", "ada");
        return next();
      },
      onReadResource: async (m, next) => {
        reads.push({ uri: m.params.uri, source: m.source, user: m.context.state.get("user") });
        return next();
      },
    });
    mcp.resource("config://greeting", (_params, ctx) => {
      ctx.state.set("readBy", "resource");
      return `hello ${String(ctx.state.get("user"))}`;
    });
    mcp.tool({ name: "greet" }, async (_args, ctx) => {
      const result = await ctx.readResource("config://greeting");
      const first = result.contents[0] as { text?: string };
      return `${first.text ?? ""} (${String(ctx.state.get("readBy"))})`;
    });
    const client = await serve(mcp, mode);

    const result = await client.callTool({ name: "greet", arguments: {} });

    expect(text(result)).toBe("hello ada (resource)");
    expect(reads).toEqual([{ uri: "config://greeting", source: "in-process", user: "ada" }]);
  });

  it("reads resource templates too", async () => {
    const mcp = new FastMCP({ name: "Reader" });
    mcp.resource("users://{id}/name", ({ id }) => `user-${id}`);
    mcp.tool({ name: "lookup" }, async (_args, ctx) => {
      const result = await ctx.readResource("users://7/name");
      return (result.contents[0] as { text?: string }).text ?? "";
    });
    const client = await serve(mcp, mode);

    expect(text(await client.callTool({ name: "lookup", arguments: {} }))).toBe("user-7");
  });

  it("fails the tool with a clear message when the resource does not exist", async () => {
    const mcp = new FastMCP({ name: "Reader" });
    mcp.tool({ name: "lookup" }, async (_args, ctx) => {
      await ctx.readResource("nothing://here");
      return "unreachable";
    });
    const client = await serve(mcp, mode);

    const result = await client.callTool({ name: "lookup", arguments: {} });

    expect(result.isError).toBe(true);
    expect(text(result)).toContain("nothing://here");
  });
});

describe.each(MODES)("ctx.request (%s client)", (mode) => {
  const era = mode === "legacy" ? "legacy" : "modern";

  it("describes the method, id, era, transport and the client's _meta", async () => {
    const mcp = new FastMCP({ name: "Req" });
    let info: RequestInfo | undefined;
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      info = ctx.request;
      return "ok";
    });
    const client = await serve(mcp, mode);

    await client.callTool({ name: "inspect", arguments: {}, _meta: { traceId: "abc", tenant: 3 } });

    expect(info?.method).toBe("tools/call");
    expect(["string", "number"]).toContain(typeof info?.id);
    expect(info?.era).toBe(era);
    expect(info?.transport).toBe("memory");
    expect(info?.meta).toMatchObject({ traceId: "abc", tenant: 3 });
    expect(info?.headers).toBeInstanceOf(Headers);
    expect([...(info?.headers.keys() ?? [])]).toEqual([]);
    expect(info?.raw).toBeUndefined();
  });

  it("keeps the protocol's reserved envelope keys out of meta", async () => {
    const mcp = new FastMCP({ name: "Req" });
    let meta: Readonly<Record<string, unknown>> | undefined;
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      meta = ctx.request.meta;
      return "ok";
    });
    const client = await serve(mcp, mode);

    await client.callTool({ name: "inspect", arguments: {}, _meta: { mine: true } });

    expect(meta).toEqual({ mine: true });
  });

  it("gives a different id to each request", async () => {
    const mcp = new FastMCP({ name: "Req" });
    const ids: unknown[] = [];
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      ids.push(ctx.request.id);
      return "ok";
    });
    const client = await serve(mcp, mode);

    await client.callTool({ name: "inspect", arguments: {} });
    await client.callTool({ name: "inspect", arguments: {} });

    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toEqual(ids[1]);
  });

  it("names the method of resource reads and prompt renders", async () => {
    const mcp = new FastMCP({ name: "Req" });
    const methods: string[] = [];
    mcp.resource("info://x", (_params, ctx) => {
      methods.push(ctx.request.method);
      return "x";
    });
    mcp.prompt({ name: "p" }, (_args, ctx) => {
      methods.push(ctx.request.method);
      return "p";
    });
    const client = await serve(mcp, mode);

    await client.readResource({ uri: "info://x" });
    await client.getPrompt({ name: "p" });

    expect(methods).toEqual(["resources/read", "prompts/get"]);
  });
});

describe("ctx.request without a client", () => {
  it("reports the in-process transport and no era", async () => {
    const mcp = new FastMCP({ name: "Req" });
    open.push(mcp);
    let info: RequestInfo | undefined;
    let session: SessionInfo | undefined = { id: "sentinel" } as SessionInfo;
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      info = ctx.request;
      session = ctx.session;
      return "ok";
    });

    await mcp.callTool("inspect");

    expect(info).toMatchObject({ transport: "in-process", era: undefined, id: undefined, meta: undefined });
    expect(session).toBeUndefined();
  });
});

describe("ctx.session and ctx.clientCapabilities", () => {
  const capabilities = { elicitation: { form: {} }, roots: { listChanged: true } };

  it("describes the legacy session: client info, capabilities and protocol version", async () => {
    const mcp = new FastMCP({ name: "Sess" });
    let session: SessionInfo | undefined;
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      session = ctx.session;
      return "ok";
    });
    const client = await serve(mcp, "legacy", capabilities);

    await client.callTool({ name: "inspect", arguments: {} });

    expect(session?.clientInfo).toMatchObject({ name: "test-client", version: "1.0.0" });
    expect(session?.clientCapabilities).toMatchObject(capabilities);
    expect(session?.protocolVersion).toBe(client.getNegotiatedProtocolVersion());
    expect(session?.protocolVersion).toBe("2025-11-25");
  });

  it("is undefined in the modern era, which has no sessions", async () => {
    const mcp = new FastMCP({ name: "Sess" });
    let session: SessionInfo | undefined = { id: "sentinel" } as SessionInfo;
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      session = ctx.session;
      return "ok";
    });
    const client = await serve(mcp, "auto", capabilities);

    await client.callTool({ name: "inspect", arguments: {} });

    expect(session).toBeUndefined();
  });

  for (const mode of MODES) {
    it(`ctx.clientCapabilities gives what the ${mode} client declared`, async () => {
      const mcp = new FastMCP({ name: "Caps" });
      let caps: unknown;
      mcp.tool({ name: "inspect" }, (_args, ctx) => {
        caps = ctx.clientCapabilities;
        return "ok";
      });
      const client = await serve(mcp, mode, capabilities);

      await client.callTool({ name: "inspect", arguments: {} });

      expect(caps).toMatchObject(capabilities);
      expect(caps).not.toHaveProperty("sampling");
    });

    it(`ctx.clientCapabilities lets one handler ask only what the ${mode} client supports`, async () => {
      const mcp = new FastMCP({ name: "Caps" });
      mcp.tool({ name: "adaptive" }, async (_args, ctx) => {
        if (ctx.clientCapabilities?.sampling !== undefined) return `sampled: ${(await ctx.sample("hi")).text ?? ""}`;
        if (ctx.clientCapabilities?.roots !== undefined) return `roots: ${(await ctx.listRoots()).length}`;
        return "nothing to ask";
      });
      const client = await serve(mcp, mode, capabilities);
      client.setRequestHandler("roots/list", async () => ({ roots: [{ uri: "file:///x" }] }));

      expect(text(await client.callTool({ name: "adaptive", arguments: {} }))).toBe("roots: 1");
    });
  }
});

describe.each(MODES)("ctx.signal (%s client)", (mode) => {
  it("aborts when the client cancels the request", async () => {
    const mcp = new FastMCP({ name: "Cancel" });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let observed!: (aborted: boolean) => void;
    const sawAbort = new Promise<boolean>((resolve) => (observed = resolve));
    mcp.tool({ name: "slow" }, async (_args, ctx) => {
      const before = ctx.signal.aborted;
      const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      started();
      await aborted;
      observed(!before && ctx.signal.aborted);
      return "too late";
    });
    const client = await serve(mcp, mode);
    const controller = new AbortController();

    const call = client.callTool({ name: "slow", arguments: {} }, { signal: controller.signal }).then(
      () => "resolved",
      () => "rejected",
    );
    await running;
    controller.abort("user pressed stop");

    expect(await call).toBe("rejected");
    expect(await sawAbort).toBe(true);
  });

  it("is not aborted during a normal call", async () => {
    const mcp = new FastMCP({ name: "Cancel" });
    mcp.tool({ name: "quick" }, (_args, ctx) => `aborted=${String(ctx.signal.aborted)}`);
    const client = await serve(mcp, mode);

    expect(text(await client.callTool({ name: "quick", arguments: {} }))).toBe("aborted=false");
  });
});

describe.each(MODES)("ctx.auth and ctx.lifespan (%s client)", (mode) => {
  it("has no auth when authentication is not configured", async () => {
    const mcp = new FastMCP({ name: "Auth" });
    let auth: unknown = "sentinel";
    mcp.tool({ name: "inspect" }, (_args, ctx) => {
      auth = ctx.auth;
      return "ok";
    });
    const client = await serve(mcp, mode);

    await client.callTool({ name: "inspect", arguments: {} });

    expect(auth).toBeUndefined();
  });

  it("holds the value the lifespan produced, the same object for every request", async () => {
    const db = { name: "db", queries: 0 };
    let starts = 0;
    const mcp = new FastMCP<{ db: typeof db }>({
      name: "Life",
      lifespan: async function* () {
        starts++;
        yield { db };
      },
    });
    const seen: unknown[] = [];
    mcp.tool({ name: "query" }, (_args, ctx: Context<{ db: typeof db }>) => {
      seen.push(ctx.lifespan.db);
      ctx.lifespan.db.queries++;
      return String(ctx.lifespan.db.queries);
    });
    const client = await serve(mcp, mode);

    await client.callTool({ name: "query", arguments: {} });
    const result = await client.callTool({ name: "query", arguments: {} });

    expect(text(result)).toBe("2");
    expect(seen).toEqual([db, db]);
    expect(seen[0]).toBe(db);
    expect(starts).toBe(1);
  });
});
