import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FastMCP } from "../src/index.js";
import { connectClient } from "./helpers.js";

describe("eras", () => {
  for (const mode of ["legacy", "auto"] as const) {
    it(`elicits in ${mode} mode`, async () => {
      const mcp = new FastMCP({ name: "E" });
      let runs = 0;
      mcp.tool({ name: "ask" }, async (_a, ctx) => {
        runs++;
        const r = await ctx.elicit("Name?", z.object({ name: z.string() }));
        return r.action === "accept" ? `hi ${r.data.name} (${ctx.request.era})` : r.action;
      });
      const client = await connectClient(mcp, { mode, capabilities: { elicitation: { form: {} } } });
      client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { name: "Ada" } }));
      const r = await client.callTool({ name: "ask", arguments: {} });
      expect(r.content).toEqual([{ type: "text", text: expect.stringContaining("hi Ada") }]);
      console.log(mode, JSON.stringify(r.content), runs, client.getNegotiatedProtocolVersion?.());
      await client.close();
      await mcp.close();
    });
  }
});
