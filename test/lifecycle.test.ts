import { describe, expect, expectTypeOf, it } from "vitest";
import { FastMCP, combineLifespans } from "../src/index.js";
import { rejectionOf, texts, useServers } from "./support.js";

const { server, client } = useServers();

describe("lifespan", () => {
  it("runs once across many requests and several in-memory connections", async () => {
    let starts = 0;
    const mcp = server({
      lifespan: async () => {
        starts++;
        return { id: starts };
      },
    });
    mcp.tool("id", (_args, ctx) => `lifespan ${ctx.lifespan.id}`);
    const one = await client(mcp);
    const two = await client(mcp, { mode: "auto" });

    const results = await Promise.all([
      one.callTool({ name: "id", arguments: {} }),
      two.callTool({ name: "id", arguments: {} }),
      mcp.callTool("id"),
      one.callTool({ name: "id", arguments: {} }),
    ]);
    await two.listTools();

    expect(results.map((r) => texts(r)[0])).toEqual(["lifespan 1", "lifespan 1", "lifespan 1", "lifespan 1"]);
    expect(starts).toBe(1);
  });

  it("starts once when the first requests arrive together", async () => {
    let starts = 0;
    const mcp = server({
      lifespan: async () => {
        starts++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return {};
      },
    });
    mcp.tool("t", () => "x");

    await Promise.all(Array.from({ length: 5 }, () => mcp.callTool("t")));

    expect(starts).toBe(1);
  });

  it("types ctx.lifespan from the lifespan's value", async () => {
    const mcp = server({ lifespan: () => ({ db: { query: (sql: string) => `rows for ${sql}` } }) });
    mcp.tool("q", (_args, ctx) => {
      expectTypeOf(ctx.lifespan.db.query).toEqualTypeOf<(sql: string) => string>();
      return ctx.lifespan.db.query("select 1");
    });

    expect(texts(await mcp.callTool("q"))).toEqual(["rows for select 1"]);
  });

  it("gives the lifespan the server it belongs to", async () => {
    let given: unknown;
    const mcp = server({
      lifespan: (s) => {
        given = s;
        return {};
      },
    });
    mcp.tool("t", () => "x");

    await mcp.callTool("t");

    expect(given).toBe(mcp);
  });

  it("runs an async generator's teardown on close, not before", async () => {
    const events: string[] = [];
    const mcp = server({
      lifespan: async function* () {
        events.push("setup");
        try {
          yield { ready: true };
        } finally {
          events.push("teardown");
        }
      },
    });
    mcp.tool("ready", (_args, ctx) => String(ctx.lifespan.ready));
    const c = await client(mcp);

    expect(texts(await c.callTool({ name: "ready", arguments: {} }))).toEqual(["true"]);
    expect(events).toEqual(["setup"]);

    await mcp.close();

    expect(events).toEqual(["setup", "teardown"]);
  });

  it("tears down once when closed twice", async () => {
    let teardowns = 0;
    const mcp = server({
      lifespan: async function* () {
        try {
          yield {};
        } finally {
          teardowns++;
        }
      },
    });
    mcp.tool("t", () => "x");
    await mcp.callTool("t");

    await mcp.close();
    await mcp.close();

    expect(teardowns).toBe(1);
  });

  it("does not run the lifespan for a server closed before any use", async () => {
    let started = false;
    const mcp = new FastMCP({
      logLevel: "silent",
      lifespan: () => {
        started = true;
        return {};
      },
    });

    await mcp.close();

    expect(started).toBe(false);
  });

  it("fails requests when the lifespan fails to start, and still closes", async () => {
    const mcp = server<unknown>({
      lifespan: async () => {
        throw new Error("database unreachable");
      },
    });
    mcp.tool("t", () => "x");
    const c = await client(mcp);

    const wire = await rejectionOf(c.callTool({ name: "t", arguments: {} }));
    const local = await rejectionOf(mcp.callTool("t"));

    expect(wire.code).toBe(-32603);
    expect(local.message).toBe("database unreachable");
    await expect(mcp.close()).resolves.toBeUndefined();
  });

  it("tries the lifespan again on the next request after it failed to start", async () => {
    let attempts = 0;
    const mcp = server({
      lifespan: async () => {
        attempts++;
        if (attempts === 1) throw new Error("database still starting");
        return { ready: true };
      },
    });
    mcp.tool("t", (_args, ctx) => JSON.stringify(ctx.lifespan));

    expect((await rejectionOf(mcp.callTool("t"))).message).toBe("database still starting");
    expect(texts(await mcp.callTool("t"))).toEqual(['{"ready":true}']);
    expect(attempts).toBe(2);
  });

  it("refuses a generator lifespan that never yields", async () => {
    const mcp = server({ lifespan: (async function* () {}) as never });
    mcp.tool("t", () => "x");

    const error = await rejectionOf(mcp.callTool("t"));

    expect(error.message).toContain("must yield exactly once");
  });
});

describe("combineLifespans", () => {
  it("merges the values, later keys winning, enters left to right and exits in reverse", async () => {
    const events: string[] = [];
    const step = (name: string, value: Record<string, unknown>) =>
      async function* () {
        events.push(`enter ${name}`);
        try {
          yield value;
        } finally {
          events.push(`exit ${name}`);
        }
      };
    const mcp = server({
      lifespan: combineLifespans(step("db", { db: "pool", shared: "db" }), () => ({ cache: "lru" }), step("http", { http: "agent", shared: "http" })),
    });
    let seen: unknown;
    mcp.tool("t", (_args, ctx) => {
      seen = ctx.lifespan;
      expectTypeOf(ctx.lifespan.cache).toEqualTypeOf<string>();
      return "x";
    });

    await mcp.callTool("t");
    await mcp.close();

    expect(seen).toEqual({ db: "pool", cache: "lru", http: "agent", shared: "http" });
    expect(events).toEqual(["enter db", "enter http", "exit http", "exit db"]);
  });

  it("exits the lifespans already entered when a later one fails to start", async () => {
    const events: string[] = [];
    const mcp = server({
      lifespan: combineLifespans(
        async function* () {
          events.push("enter first");
          try {
            yield { first: true };
          } finally {
            events.push("exit first");
          }
        },
        async () => {
          events.push("enter second");
          throw new Error("second failed");
        },
      ),
    });
    mcp.tool("t", () => "x");

    const error = await rejectionOf(mcp.callTool("t"));

    expect(error.message).toBe("second failed");
    expect(events).toEqual(["enter first", "enter second", "exit first"]);
  });
});
