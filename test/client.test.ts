import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Client, ToolCallError } from "mcpkit/client";
import { connect } from "mcpkit/testing";
import { FastMCP, ErrorCodes, McpkitError } from "mcpkit";

function weather(): FastMCP {
  const mcp = new FastMCP({ name: "weather", logLevel: "silent" });
  mcp.tool({ name: "forecast", input: z.object({ city: z.string() }) }, ({ city }) => ({ city, summary: "sunny" }));
  mcp.tool({ name: "cities", output: z.array(z.string()) }, () => ["paris", "tokyo"]);
  mcp.tool({ name: "broken" }, () => {
    throw new Error("boom");
  });
  return mcp;
}

describe("Client", () => {
  for (const era of ["auto", "legacy"] as const) {
    it(`connects to a server in memory, lists and calls tools (${era})`, async () => {
      const mcp = weather();
      await using client = await connect(mcp, { era });
      expect(client.era).toBe(era === "auto" ? "modern" : "legacy");
      expect((await client.listTools()).map((t) => t.name)).toEqual(["forecast", "cities", "broken"]);
      const r = await client.callTool("forecast", { city: "Paris" });
      expect(r.data).toEqual({ city: "Paris", summary: "sunny" });
      expect((await client.callTool("cities")).data).toEqual(["paris", "tokyo"]);
      const failure = await client.callTool("broken").catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ToolCallError);
      expect((failure as ToolCallError).code).toBe(ErrorCodes.TOOL_CALL_FAILED);
      expect((await client.callTool("broken", {}, { raiseOnError: false })).isError).toBe(true);
      const unknown = await client.callTool("nope").catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: ErrorCodes.REMOTE_ERROR, rpcCode: -32602 });
      await mcp.close();
    });
  }

  it("connects over HTTP and fails clearly when nothing listens", async () => {
    const mcp = weather();
    const handle = await mcp.listen({ port: 0 });
    const client = await Client.connect(handle.endpoint);
    expect((await client.callTool("forecast", { city: "Oslo" })).data).toEqual({ city: "Oslo", summary: "sunny" });
    await client.close();
    await handle.close();
    await mcp.close();
    const refused = await Client.connect(handle.endpoint, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(McpkitError);
    expect((refused as McpkitError).code).toBe(ErrorCodes.CONNECTION_FAILED);
  });
});

describe("MultiClient", () => {
  function named(name: string): FastMCP {
    const mcp = new FastMCP({ name, logLevel: "silent" });
    mcp.tool({ name: "hello", input: z.object({ who: z.string() }) }, ({ who }) => `${name} greets ${who}`);
    mcp.resource("notes://today", () => `${name} notes`);
    mcp.prompt({ name: "brief" }, () => `${name} brief`);
    return mcp;
  }

  it("namespaces several servers from an mcpServers configuration and routes calls back", async () => {
    const weather = named("weather");
    const calendar = named("calendar");
    const handle = await calendar.listen({ port: 0 });
    await using multi = await Client.connect({ mcpServers: { weather, "cal-1": { url: handle.endpoint } } });

    expect((await multi.listTools()).map((t) => t.name).sort()).toEqual(["cal-1_hello", "weather_hello"]);
    expect((await multi.callTool("cal-1_hello", { who: "ada" })).content).toEqual([{ type: "text", text: "calendar greets ada" }]);
    expect((await multi.listResources()).map((r) => r.uri).sort()).toEqual(["notes://cal-1/today", "notes://weather/today"]);
    expect(await multi.readResource("notes://weather/today")).toEqual([
      { uri: "notes://weather/today", mimeType: "text/plain", text: "weather notes" },
    ]);
    expect((await multi.getPrompt("weather_brief")).messages[0]?.content).toEqual({ type: "text", text: "weather brief" });
    const unknown = await multi.callTool("nowhere_hello").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: ErrorCodes.NOT_FOUND });

    await multi.close();
    await handle.close();
    await Promise.all([weather.close(), calendar.close()]);
  });

  it("does not namespace a configuration with a single server", async () => {
    const only = named("only");
    await using multi = await Client.connect({ mcpServers: { only } });
    expect((await multi.listTools()).map((t) => t.name)).toEqual(["hello"]);
    expect((await multi.callTool("hello", { who: "x" })).content).toEqual([{ type: "text", text: "only greets x" }]);
    await only.close();
  });

  it("fails naming the server that could not be reached, and closes the others", async () => {
    const up = named("up");
    const failure = await Client.connect({ mcpServers: { up, down: { url: "http://127.0.0.1:9/mcp" } } }, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: ErrorCodes.CONNECTION_FAILED, message: expect.stringContaining("down:") });
    await up.close();
  });
});

describe("tool definitions", () => {
  for (const era of ["auto", "legacy"] as const) {
    it(`lists tools once for many calls, and again after the server says the list changed (${era})`, async () => {
      const mcp = weather();
      let listings = 0;
      mcp.use({
        async onListTools(_ctx, next) {
          listings++;
          return next();
        },
      });
      let announced: () => void = () => undefined;
      const changed = new Promise<void>((resolve) => (announced = resolve));
      await using client = await connect(mcp, { era, onListChanged: (list) => list === "tools" && announced() });
      if (era === "auto") await client.subscribe([]); // a listen stream, so list changes reach the client

      for (let i = 0; i < 3; i++) expect((await client.callTool("cities")).data).toEqual(["paris", "tokyo"]);
      expect(listings).toBe(1);

      mcp.tool({ name: "extra" }, () => "x");
      await changed;
      await client.callTool("cities");
      expect(listings).toBe(2);
      await mcp.close();
    });
  }
});

describe("raw message hook", () => {
  for (const era of ["auto", "legacy"] as const) {
    it(`lets onMessage see every message the server sends, responses and notifications (${era})`, async () => {
      const mcp = new FastMCP({ name: "tap", logLevel: "silent" });
      mcp.tool({ name: "chatty" }, async (_args, ctx) => {
        await ctx.progress(1, 2);
        return "done";
      });
      const seen: Record<string, unknown>[] = [];
      await using client = await connect(mcp, { era, onMessage: (m) => void seen.push(m) });
      seen.length = 0;
      await client.callTool("chatty", {}, { onProgress: () => undefined });
      expect(seen.some((m) => m.method === "notifications/progress")).toBe(true);
      expect(seen.some((m) => "result" in m && JSON.stringify(m.result).includes("done"))).toBe(true);
      await mcp.close();
    });
  }
});
