import { defineCommand } from "citty";
import { guarded, out } from "../output.js";
import { connectTarget } from "../connect.js";

/** `mcpkit list <server|url|config>`: the tools a server offers. */
export const list = defineCommand({
  meta: {
    name: "list",
    description: "List a server's tools (a server file, a URL or an MCP config file). (e.g. mcpkit list server.ts)",
  },
  args: {
    target: { type: "positional", description: "server file, URL, or MCP config (.json)", required: true },
    json: { type: "boolean", description: "print the tool descriptions as JSON" },
  },
  run: ({ args }) =>
    guarded(async () => {
      const { client, close } = await connectTarget(args.target);
      try {
        const tools = await client.listTools();
        if (args.json) out(JSON.stringify(tools, null, 2));
        else out(tools.map((t) => `${t.name}${t.description ? ` - ${t.description}` : ""}`).join("\n") || "(no tools)");
      } finally {
        await close();
      }
    }),
});
