/**
 * A small weather server: tools, a resource, a resource template and a prompt.
 *
 *   npx tsx examples/weather.ts                                  # stdio
 *   MCPKIT_TRANSPORT=http MCPKIT_PORT=8000 npx tsx examples/weather.ts  # HTTP at /mcp
 */
import { z } from "zod";
import { FastMCP, ToolError } from "mcpkit";

export const mcp = new FastMCP({
  name: "Weather",
  version: "1.0.0",
  instructions: "Forecasts for a few cities. Call list_cities first if unsure.",
});

const CITIES: Record<string, { summary: string; highC: number }> = {
  paris: { summary: "sunny", highC: 21 },
  london: { summary: "light rain", highC: 16 },
  tokyo: { summary: "cloudy", highC: 24 },
};

mcp.tool(
  {
    name: "get_forecast",
    description: "Return a short forecast for a city.",
    input: z.object({
      city: z.string().describe("City name, e.g. Paris"),
      days: z.number().int().min(1).max(7).default(1),
    }),
    annotations: { readOnlyHint: true },
  },
  async ({ city, days }, ctx) => {
    const known = CITIES[city.toLowerCase()];
    if (known === undefined) throw new ToolError(`No forecast for '${city}'. Try one of: ${Object.keys(CITIES).join(", ")}`);
    await ctx.progress(1, 2, "looking up");
    return { city, days, summary: known.summary, highC: known.highC };
  },
);

mcp.tool(
  { name: "list_cities", description: "Cities with forecasts.", output: z.array(z.string()) },
  () => Object.keys(CITIES),
);

mcp.resource({ uri: "config://units", description: "The units forecasts use." }, () => ({ temperature: "celsius" }));

mcp.resource(
  { uri: "weather://{city}/current", description: "Current conditions for a city.", mimeType: "application/json" },
  ({ city }) => {
    const known = CITIES[city.toLowerCase()];
    if (known === undefined) throw new ToolError(`Unknown city '${city}'`);
    return { city, ...known };
  },
);

mcp.prompt(
  { name: "plan_trip", description: "Plan a day out given the weather.", args: z.object({ city: z.string() }) },
  ({ city }) => `Check the forecast for ${city} with get_forecast, then suggest a plan for the day.`,
);

await mcp.run();
