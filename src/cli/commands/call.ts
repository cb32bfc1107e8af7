import { defineCommand } from "citty";
import { CliError, guarded, out } from "../output.js";
import { connectTarget } from "../connect.js";
import { parseToolArgs } from "../tool-args.js";

/** `mcpkit call <server|url|config> <tool> key=value ...`: call one tool. */
export const call = defineCommand({
  meta: {
    name: "call",
    description:
      "Call a tool. Values are typed by the tool's input schema; key:=<json> forces JSON. (e.g. mcpkit call server.ts get_forecast city=Paris days=2)",
  },
  args: {
    target: { type: "positional", description: "server file, URL, or MCP config (.json)", required: true },
    tool: { type: "positional", description: "tool name", required: true },
    json: { type: "boolean", description: "print the whole result as JSON" },
    timeout: { type: "string", description: "timeout in seconds", default: "60" },
  },
  run: ({ args }) =>
    guarded(async () => {
      const seconds = Number(args.timeout);
      if (!(seconds > 0)) throw new CliError(`--timeout must be a positive number of seconds, got '${args.timeout}'`);
      const words = (args._ as string[]).slice(2);
      const { client, close } = await connectTarget(args.target, { timeoutMs: seconds * 1000 });
      try {
        const tool = (await client.listTools()).find((t) => t.name === args.tool);
        if (tool === undefined) throw new CliError(`Unknown tool '${args.tool}': run \`mcpkit list ${args.target}\` to see the tools`);
        const toolArgs = parseToolArgs(words, tool.inputSchema as Record<string, unknown>);
        const result = await client.callTool(args.tool, toolArgs, { raiseOnError: false });
        if (args.json) out(JSON.stringify(result, null, 2));
        else out(render(result.content, result.data));
        if (result.isError) process.exitCode = 1;
      } finally {
        await close();
      }
    }),
});

function render(content: { type: string; text?: string }[], data: unknown): string {
  if (data !== undefined && data !== null) return JSON.stringify(data, null, 2);
  return content.map((block) => (block.type === "text" ? (block.text ?? "") : `[${block.type}]`)).join("\n");
}
