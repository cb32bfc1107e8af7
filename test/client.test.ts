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
