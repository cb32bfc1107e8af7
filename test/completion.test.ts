import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NotFoundError, type CompletionContext } from "../src/index.js";
import { MODES, rejectionOf, useServers } from "./support.js";

const { server, client } = useServers();

const CITIES = ["paris", "park city", "parma", "oslo"];

function withCompleters() {
  const mcp = server();
  const contexts: CompletionContext[] = [];
  mcp.prompt(
    {
      name: "trip",
      args: z.object({ city: z.string(), country: z.string(), notes: z.string().optional() }),
      complete: {
        city: (value, context) => {
          contexts.push(context);
          return CITIES.filter((c) => c.startsWith(value));
        },
        country: async (value) => ["france", "finland"].filter((c) => c.startsWith(value)),
      },
    },
    ({ city }) => `Go to ${city}`,
  );
  mcp.resource(
    { uri: "weather://{country}/{city}", complete: { city: (value, context) => CITIES.filter((c) => c.startsWith(value)).map((c) => `${c}@${context.arguments.country ?? "?"}`) } },
    ({ city }) => city,
  );
  mcp.resource("static://x", () => "x");
  return { mcp, contexts };
}

describe("completion", () => {
  for (const mode of MODES) {
    it(`completes a prompt argument for a ${mode} client`, async () => {
      const { mcp } = withCompleters();
      const c = await client(mcp, { mode });

      const result = await c.complete({ ref: { type: "ref/prompt", name: "trip" }, argument: { name: "city", value: "par" } });

      expect(result.completion).toEqual({ values: ["paris", "park city", "parma"], total: 3, hasMore: false });
    });

    it(`completes a template variable for a ${mode} client, with the other arguments as context`, async () => {
      const { mcp } = withCompleters();
      const c = await client(mcp, { mode });

      const result = await c.complete({
        ref: { type: "ref/resource", uri: "weather://{country}/{city}" },
        argument: { name: "city", value: "o" },
        context: { arguments: { country: "no" } },
      });

      expect(result.completion.values).toEqual(["oslo@no"]);
    });
  }

  it("passes the already-filled arguments to the completer", async () => {
    const { mcp, contexts } = withCompleters();
    const c = await client(mcp);

    await c.complete({ ref: { type: "ref/prompt", name: "trip" }, argument: { name: "city", value: "" }, context: { arguments: { country: "france" } } });

    expect(contexts).toEqual([{ arguments: { country: "france" } }]);
  });

  it("awaits async completers", async () => {
    const { mcp } = withCompleters();

    const result = await mcp.complete({ type: "ref/prompt", name: "trip" }, { name: "country", value: "f" });

    expect(result.completion.values).toEqual(["france", "finland"]);
  });

  it("answers no values for an argument without a completer and for a static resource", async () => {
    const { mcp } = withCompleters();
    const c = await client(mcp);

    const noCompleter = await c.complete({ ref: { type: "ref/prompt", name: "trip" }, argument: { name: "notes", value: "a" } });
    const staticResource = await c.complete({ ref: { type: "ref/resource", uri: "static://x" }, argument: { name: "any", value: "" } });

    expect(noCompleter.completion).toEqual({ values: [], total: 0, hasMore: false });
    expect(staticResource.completion.values).toEqual([]);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("answers no values for the argument name %j instead of calling Object.prototype", async (name) => {
    const { mcp } = withCompleters();
    const c = await client(mcp);

    const prompt = await c.complete({ ref: { type: "ref/prompt", name: "trip" }, argument: { name, value: "x" } });
    const template = await c.complete({ ref: { type: "ref/resource", uri: "weather://{country}/{city}" }, argument: { name, value: "x" } });

    expect(prompt.completion).toEqual({ values: [], total: 0, hasMore: false });
    expect(template.completion).toEqual({ values: [], total: 0, hasMore: false });
  });

  it("caps the answer at 100 values and says there are more", async () => {
    const mcp = server();
    const many = Array.from({ length: 250 }, (_, i) => `item-${i}`);
    mcp.prompt({ name: "pick", args: z.object({ item: z.string() }), complete: { item: () => many } }, ({ item }) => item);
    const c = await client(mcp);

    const result = await c.complete({ ref: { type: "ref/prompt", name: "pick" }, argument: { name: "item", value: "" } });

    expect(result.completion.values).toEqual(many.slice(0, 100));
    expect(result.completion.total).toBe(250);
    expect(result.completion.hasMore).toBe(true);
  });

  it("says there are no more at exactly 100 values", async () => {
    const mcp = server();
    const hundred = Array.from({ length: 100 }, (_, i) => String(i));
    mcp.prompt({ name: "pick", args: z.object({ item: z.string() }), complete: { item: () => hundred } }, ({ item }) => item);

    const result = await mcp.complete({ type: "ref/prompt", name: "pick" }, { name: "item", value: "" });

    expect(result.completion).toEqual({ values: hundred, total: 100, hasMore: false });
  });

  it("answers -32602 for an unknown prompt or template", async () => {
    const { mcp } = withCompleters();
    const c = await client(mcp);

    const prompt = await rejectionOf(c.complete({ ref: { type: "ref/prompt", name: "ghost" }, argument: { name: "a", value: "" } }));
    const template = await rejectionOf(c.complete({ ref: { type: "ref/resource", uri: "ghost://{x}" }, argument: { name: "x", value: "" } }));

    expect(prompt.code).toBe(-32602);
    expect(prompt.message).toContain("Unknown prompt: ghost");
    expect(template.code).toBe(-32602);
    expect(template.message).toContain("ghost://{x}");
  });

  it("throws NotFoundError in process for a hidden prompt, as for an unknown one", async () => {
    const { mcp } = withCompleters();
    mcp.disable({ names: ["trip"] });

    const error = await rejectionOf(mcp.complete({ type: "ref/prompt", name: "trip" }, { name: "city", value: "p" }));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe("Unknown prompt: trip");
  });
});
