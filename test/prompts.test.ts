import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorCodes, NotFoundError, PromptError, PromptResult, ValidationError, image, message, type PromptMessage } from "../src/index.js";
import { MODES, rejectionOf, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

describe("prompt results", () => {
  it("renders a string as one user message with the prompt's description", async () => {
    const mcp = server();
    mcp.prompt({ name: "hello", description: "Says hello" }, () => "Hello there");
    const c = await client(mcp);

    const result = await c.getPrompt({ name: "hello" });

    expect(result.description).toBe("Says hello");
    expect(result.messages).toEqual([{ role: "user", content: { type: "text", text: "Hello there" } }]);
  });

  it("renders a list of messages built with message(), keeping their roles", async () => {
    const mcp = server();
    mcp.prompt("review", () => [message("You are a reviewer."), message("Looks good.", "assistant"), "Anything else?"]);

    const result = await mcp.getPrompt("review");

    expect(result.messages).toEqual([
      { role: "user", content: { type: "text", text: "You are a reviewer." } },
      { role: "assistant", content: { type: "text", text: "Looks good." } },
      { role: "user", content: { type: "text", text: "Anything else?" } },
    ]);
    expect(result).not.toHaveProperty("description");
  });

  it("builds messages from strings, content blocks and JSON values", () => {
    const pic = image("aGk=", "image/png");

    expect(message("hi")).toEqual({ role: "user", content: { type: "text", text: "hi" } });
    expect(message(pic, "assistant")).toEqual({ role: "assistant", content: pic });
    expect(message({ a: [1, 2] })).toEqual({ role: "user", content: { type: "text", text: '{"a":[1,2]}' } });
  });

  it("passes ready-made prompt messages through", async () => {
    const mcp = server();
    const ready: PromptMessage = { role: "assistant", content: { type: "resource", resource: { uri: "doc://1", mimeType: "text/plain", text: "body" } } };
    mcp.prompt("ready", () => [ready]);

    expect((await mcp.getPrompt("ready")).messages).toEqual([ready]);
  });

  it("renders a PromptResult with its own description and result meta", async () => {
    const mcp = server();
    mcp.prompt(
      { name: "explicit", description: "default description" },
      () => new PromptResult([message("one"), "two"], { description: "custom", meta: { source: "test" } }),
    );
    mcp.prompt({ name: "fallback", description: "from the prompt" }, () => new PromptResult(["only"]));

    const explicit = await mcp.getPrompt("explicit");
    const fallback = await mcp.getPrompt("fallback");

    expect(explicit).toEqual({
      description: "custom",
      _meta: { source: "test" },
      messages: [
        { role: "user", content: { type: "text", text: "one" } },
        { role: "user", content: { type: "text", text: "two" } },
      ],
    });
    expect(fallback.description).toBe("from the prompt");
  });

  it("answers a prompt that returns nothing with an error saying so", async () => {
    const mcp = server();
    mcp.prompt("empty", () => null);
    const c = await client(mcp);

    const error = await rejectionOf(c.getPrompt({ name: "empty" }));

    expect(error.code).toBe(-32603);
    expect(error.message).toContain("A prompt returned nothing");
  });
});

describe("prompt arguments", () => {

  it("tells clients to send non-string arguments as JSON, with the schema", async () => {
    const mcp = server();
    mcp.prompt({ name: "p", args: z.object({ n: z.number().describe("How many"), s: z.string() }) }, ({ n, s }) => `${s}${n}`);
    const [prompt] = await mcp.listPrompts();
    const byName = Object.fromEntries((prompt?.arguments ?? []).map((a) => [a.name, a.description]));

    expect(byName.n).toMatch(/^How many\. Provide as a JSON string matching this schema: \{"type":"number"\}$/);
    expect(byName.s).toBeUndefined();
    expect((await mcp.getPrompt("p", { n: "3", s: "x" })).messages[0]?.content).toEqual({ type: "text", text: "x3" });
  });
  it("lists each schema property as an argument, required unless optional or defaulted", async () => {
    const mcp = server();
    mcp.prompt(
      {
        name: "plan",
        args: z.object({
          goal: z.string().describe("What to achieve"),
          days: z.number().default(3),
          style: z.string().optional(),
        }),
      },
      ({ goal, days }) => `${goal} in ${days} days`,
    );
    const c = await client(mcp);

    const { prompts } = await c.listPrompts();

    expect(prompts).toEqual([
      {
        name: "plan",
        arguments: [
          { name: "goal", description: "What to achieve", required: true },
          { name: "days", description: 'Provide as a JSON string matching this schema: {"default":3,"type":"number"}' },
          { name: "style" },
        ],
      },
    ]);
  });

  it("lists no arguments for a prompt without an args schema", async () => {
    const mcp = server();
    mcp.prompt({ name: "bare", title: "Bare", tags: ["x"] }, () => "x");

    expect(await mcp.listPrompts()).toEqual([{ name: "bare", title: "Bare", _meta: { mcpkit: { tags: ["x"] } } }]);
  });

  it("passes typed arguments with defaults applied", async () => {
    const mcp = server();
    let seen: unknown;
    mcp.prompt({ name: "plan", args: z.object({ goal: z.string(), days: z.number().default(3) }) }, (args) => {
      seen = args;
      return `${args.goal} in ${args.days} days`;
    });

    const result = await mcp.getPrompt("plan", { goal: "ship" });

    expect(result.messages[0]?.content).toEqual({ type: "text", text: "ship in 3 days" });
    expect(seen).toEqual({ goal: "ship", days: 3 });
  });

  it("parses JSON-string arguments for non-string schema types and leaves strings alone", async () => {
    const mcp = server();
    let seen: unknown;
    mcp.prompt(
      {
        name: "typed",
        args: z.object({
          count: z.number(),
          ids: z.array(z.number()),
          strict: z.boolean(),
          filter: z.object({ tag: z.string() }),
          label: z.string(),
        }),
      },
      (args) => {
        seen = args;
        return "ok";
      },
    );
    const c = await client(mcp);

    await c.getPrompt({
      name: "typed",
      arguments: { count: "5", ids: "[1,2,3]", strict: "true", filter: '{"tag":"x"}', label: "123" },
    });

    expect(seen).toEqual({ count: 5, ids: [1, 2, 3], strict: true, filter: { tag: "x" }, label: "123" });
  });

  for (const mode of MODES) {
    it(`answers invalid arguments with -32602 naming the argument to a ${mode} client`, async () => {
      const mcp = server();
      mcp.prompt({ name: "typed", args: z.object({ count: z.number(), name: z.string() }) }, ({ count }) => String(count));
      const c = await client(mcp, { mode });

      const notJson = await rejectionOf(c.getPrompt({ name: "typed", arguments: { count: "many", name: "x" } }));
      const missing = await rejectionOf(c.getPrompt({ name: "typed", arguments: { count: "1" } }));

      expect(notJson.code).toBe(-32602);
      expect(notJson.message).toContain("Invalid arguments for prompt 'typed': count: ");
      expect(missing.code).toBe(-32602);
      expect(missing.message).toContain("name: ");
    });

    it(`answers an unknown prompt with -32602 to a ${mode} client`, async () => {
      const mcp = server();
      mcp.prompt("known", () => "x");
      const c = await client(mcp, { mode });

      const error = await rejectionOf(c.getPrompt({ name: "unknown", arguments: {} }));

      expect(error.code).toBe(-32602);
      expect(error.message).toContain("Unknown prompt: unknown");
    });
  }

  it("throws ValidationError with issues for invalid arguments in process", async () => {
    const mcp = server();
    mcp.prompt({ name: "typed", args: z.object({ count: z.number() }) }, ({ count }) => String(count));

    const error = await rejectionOf(mcp.getPrompt("typed", { count: "x" }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(["count"]);
  });

  it("throws NotFoundError for an unknown prompt in process", async () => {
    const mcp = server();

    expect(await rejectionOf(mcp.getPrompt("ghost"))).toBeInstanceOf(NotFoundError);
  });

  it("rejects an args schema that is not an object", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.prompt({ name: "p", args: z.string() }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.message).toContain("args must describe an object");
  });

  it("rejects an invalid prompt name and completion for an unknown argument", () => {
    const mcp = server();

    expect(thrownBy(() => mcp.prompt("bad name", () => "x")).code).toBe(ErrorCodes.INVALID_COMPONENT);
    const error = thrownBy(() => mcp.prompt({ name: "p", args: z.object({ a: z.string() }), complete: { b: () => [] } }, () => "x"));
    expect(error.code).toBe(ErrorCodes.INVALID_COMPONENT);
    expect(error.message).toContain("unknown argument 'b'");
  });
});

describe("prompt errors", () => {
  it("sends a PromptError's message to the client even when details are masked", async () => {
    const mcp = server({ maskErrorDetails: true });
    mcp.prompt("strict", () => {
      throw new PromptError("Pick a topic first");
    });
    const c = await client(mcp);

    const error = await rejectionOf(c.getPrompt({ name: "strict" }));

    expect(error.message).toContain("Pick a topic first");
  });

  it("masks a plain Error's message when details are masked and shows it otherwise", async () => {
    const masked = server({ maskErrorDetails: true });
    const open = server();
    for (const mcp of [masked, open]) {
      mcp.prompt("leaky", () => {
        throw new Error("secret=1");
      });
    }

    const maskedError = await rejectionOf(masked.getPrompt("leaky"));
    const openError = await rejectionOf(open.getPrompt("leaky"));

    expect(maskedError).toBeInstanceOf(PromptError);
    expect(maskedError.message).toBe("Error rendering prompt 'leaky'");
    expect(openError.message).toBe("Error rendering prompt 'leaky': secret=1");
  });

  it("removes a prompt so it is neither listed nor rendered", async () => {
    const mcp = server();
    mcp.prompt("gone", () => "x");

    expect(mcp.removePrompt("gone")).toBe(true);
    expect(mcp.removePrompt("gone")).toBe(false);
    expect(await mcp.listPrompts()).toEqual([]);
    expect(await rejectionOf(mcp.getPrompt("gone"))).toBeInstanceOf(NotFoundError);
  });
});
