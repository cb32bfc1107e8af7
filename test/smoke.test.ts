import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP } from "../src/index.js";
import { connectClient } from "./helpers.js";

describe("smoke", () => {
  it("lists and calls a tool in memory", async () => {
    const mcp = new FastMCP({ name: "Smoke" });
    mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => ({ sum: a + b }));
    const client = await connectClient(mcp);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(["add"]);
    const r = await client.callTool({ name: "add", arguments: { a: 1, b: 2 } });
    expect(r.structuredContent).toEqual({ sum: 3 });
    await client.close();
    await mcp.close();
  });
});
