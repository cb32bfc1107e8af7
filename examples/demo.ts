/**
 * `npm run demo`: starts examples/weather.ts over stdio, then acts as a small
 * client: lists the tools, calls them, reads a resource, renders a prompt.
 */
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { fileURLToPath } from "node:url";

const server = fileURLToPath(new URL("./weather.ts", import.meta.url));
const transport = new StdioClientTransport({
  command: process.execPath,
  args: ["--import", "tsx", server],
  stderr: "inherit",
});
const client = new Client({ name: "mcpkit-demo", version: "1.0.0" });
await client.connect(transport);

const info = client.getServerVersion();
console.log(`Connected to ${info?.name} ${info?.version}\n`);

const { tools } = await client.listTools();
console.log("Tools:");
for (const tool of tools) console.log(`  - ${tool.name}: ${tool.description ?? ""}`);

const cities = await client.callTool({ name: "list_cities", arguments: {} });
console.log("\nlist_cities ->", JSON.stringify(cities.structuredContent ?? cities.content));

const forecast = await client.callTool({ name: "get_forecast", arguments: { city: "Paris", days: 2 } });
console.log("get_forecast(Paris, 2) ->", JSON.stringify(forecast.structuredContent));

const unknown = await client.callTool({ name: "get_forecast", arguments: { city: "Atlantis" } });
console.log("get_forecast(Atlantis) -> isError:", unknown.isError, "-", (unknown.content as { text: string }[])[0]?.text);

const current = await client.readResource({ uri: "weather://tokyo/current" });
console.log("\nweather://tokyo/current ->", (current.contents[0] as { text: string }).text);

const prompt = await client.getPrompt({ name: "plan_trip", arguments: { city: "London" } });
console.log("plan_trip(London) ->", (prompt.messages[0]?.content as { text: string }).text);

await client.close();
