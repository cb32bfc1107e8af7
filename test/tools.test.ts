import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  ErrorCodes,
  McpkitError,
  NotFoundError,
  ToolError,
  ToolResult,
  audio,
  file,
  image,
  type ContentBlock,
} from "../src/index.js";
import { MODES, base64, rejectionOf, texts, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

const PIXEL = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 255]);

describe("tool arguments", () => {
  it("passes arguments typed by the zod schema, with defaults applied", async () => {
    const mcp = server();
    const seen: unknown[] = [];
    mcp.tool(
      { name: "greet", input: z.object({ name: z.string(), times: z.number().int().default(2), loud: z.boolean().optional() }) },
      (args) => {
        seen.push(args);
        const line = args.loud === true ? args.name.toUpperCase() : args.name;
        return Array.from({ length: args.times }, () => line).join(" ");
      },
    );
    const c = await client(mcp);

    const result = await c.callTool({ name: "greet", arguments: { name: "ada" } });

    expect(result.content).toEqual([{ type: "text", text: "ada ada" }]);
    expect(seen).toEqual([{ name: "ada", times: 2 }]);
  });

  it("lists the input schema with required fields and defaults", async () => {
    const mcp = server();
    mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number().default(1) }) }, ({ a, b }) => a + b);

    const [tool] = await mcp.listTools();

    expect(tool?.inputSchema).toMatchObject({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number", default: 1 } },
      required: ["a"],
    });
  });

  it("registers a tool without input as an empty object schema and calls it without arguments", async () => {
    const mcp = server();
    let received: unknown;
    mcp.tool("ping", (args) => {
      received = args;
      return "pong";
    });
    const c = await client(mcp);

    const { tools } = await c.listTools();
    const result = await c.callTool({ name: "ping" });

    expect(tools).toEqual([{ name: "ping", inputSchema: { type: "object", properties: {} } }]);
    expect(result.content).toEqual([{ type: "text", text: "pong" }]);
    expect(received).toEqual({});
  });

  it("awaits async handlers", async () => {
    const mcp = server();
    mcp.tool({ name: "later", input: z.object({ n: z.number() }) }, async ({ n }) => {
      await Promise.resolve();
      return n * 10;
    });

    expect(await mcp.callTool("later", { n: 4 })).toEqual({ content: [{ type: "text", text: "40" }] });
  });

  it("answers an argument validation failure with an error result naming the field", async () => {
    const mcp = server();
    mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) => a + b);
    const c = await client(mcp);

    const wrongType = await c.callTool({ name: "add", arguments: { a: "one", b: 2 } });
    const missing = await c.callTool({ name: "add", arguments: { a: 1 } });

    expect(wrongType.isError).toBe(true);
    expect(texts(wrongType)[0]).toMatch(/^Invalid arguments for tool 'add': a: /);
    expect(missing.isError).toBe(true);
    expect(texts(missing)[0]).toMatch(/^Invalid arguments for tool 'add': b: /);
  });

  it("does not run the handler when the arguments are invalid", async () => {
    const mcp = server();
    const handler = vi.fn(() => "ran");
    mcp.tool({ name: "strict", input: z.object({ n: z.number().min(10) }) }, handler);

    const result = await mcp.callTool("strict", { n: 3 });

    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain("n: ");
    expect(handler).not.toHaveBeenCalled();
  });
});

describe("tool return conversion", () => {
  async function call(value: unknown, options: { output?: z.ZodType } = {}) {
    const mcp = server();
    mcp.tool({ name: "t", ...(options.output === undefined ? {} : { output: options.output }) }, () => value);
    return mcp.callTool("t");
  }

  it("returns a string as one text block", async () => {
    expect(await call("hello")).toEqual({ content: [{ type: "text", text: "hello" }] });
  });

  it("returns a number as text without structured content", async () => {
    expect(await call(42.5)).toEqual({ content: [{ type: "text", text: "42.5" }] });
  });

  it("returns a boolean as text", async () => {
    expect(await call(false)).toEqual({ content: [{ type: "text", text: "false" }] });
  });

  it("returns null and undefined as empty content", async () => {
    expect(await call(null)).toEqual({ content: [] });
    expect(await call(undefined)).toEqual({ content: [] });
  });

  it("returns an object as structured content plus JSON text", async () => {
    const value = { city: "Paris", temp: 21, tags: ["warm"], nested: { ok: true } };

    const result = await call(value);

    expect(result.structuredContent).toEqual(value);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(value) }]);
  });

  it("sends bigint values inside objects as strings", async () => {
    const result = await call({ id: 12345678901234567890n });

    expect(result.structuredContent).toEqual({ id: "12345678901234567890" });
    expect(texts(result)).toEqual(['{"id":"12345678901234567890"}']);
  });

  it("returns an object whose JSON form is not an object (a Date) as text only", async () => {
    const result = await call(new Date(0));

    expect(result).toEqual({ content: [{ type: "text", text: '"1970-01-01T00:00:00.000Z"' }] });
  });

  it("returns an array of JSON values as one JSON text block without structured content", async () => {
    const result = await call([1, { a: 2 }, "three", null]);

    expect(result).toEqual({ content: [{ type: "text", text: '[1,{"a":2},"three",null]' }] });
  });

  it("returns an array of strings and content items as one block each", async () => {
    const result = await call(["caption", image(PIXEL, "image/png"), { type: "text", text: "after" }]);

    expect(result.content).toEqual([
      { type: "text", text: "caption" },
      { type: "image", data: base64(PIXEL), mimeType: "image/png" },
      { type: "text", text: "after" },
    ]);
    expect(result.structuredContent).toBeUndefined();
  });

  it("returns bytes as an embedded base64 blob", async () => {
    const blob = { uri: "data:application/octet-stream", mimeType: "application/octet-stream", blob: base64(PIXEL) };

    expect(await call(PIXEL)).toEqual({ content: [{ type: "resource", resource: blob }] });
    expect(await call(PIXEL.slice().buffer)).toEqual({ content: [{ type: "resource", resource: blob }] });
  });

  it("converts bytes inside a content list, ArrayBuffers included", async () => {
    const result = await call(["bytes:", PIXEL.slice().buffer, PIXEL]);

    expect(result.content).toEqual([
      { type: "text", text: "bytes:" },
      { type: "resource", resource: { uri: "data:application/octet-stream", mimeType: "application/octet-stream", blob: base64(PIXEL) } },
      { type: "resource", resource: { uri: "data:application/octet-stream", mimeType: "application/octet-stream", blob: base64(PIXEL) } },
    ]);
  });

  it("builds image content from bytes or base64 with a PNG default MIME type", async () => {
    expect(image(PIXEL)).toEqual({ type: "image", data: base64(PIXEL), mimeType: "image/png" });
    expect(image("aGk=", "image/jpeg")).toEqual({ type: "image", data: "aGk=", mimeType: "image/jpeg" });
    expect(await call(image(PIXEL, "image/gif"))).toEqual({ content: [{ type: "image", data: base64(PIXEL), mimeType: "image/gif" }] });
  });

  it("builds audio content with a WAV default MIME type", async () => {
    expect(audio(PIXEL)).toEqual({ type: "audio", data: base64(PIXEL), mimeType: "audio/wav" });
    expect(await call(audio(PIXEL.slice().buffer, "audio/mpeg"))).toEqual({
      content: [{ type: "audio", data: base64(PIXEL), mimeType: "audio/mpeg" }],
    });
  });

  it("attaches a file as an embedded resource named by its URI", async () => {
    expect(file(PIXEL, { name: "report 1.pdf", mimeType: "application/pdf" })).toEqual({
      type: "resource",
      resource: { uri: "file:///report%201.pdf", mimeType: "application/pdf", blob: base64(PIXEL) },
    });
    expect(file(PIXEL)).toEqual({
      type: "resource",
      resource: { uri: "file:///file", mimeType: "application/octet-stream", blob: base64(PIXEL) },
    });
    expect(await call(file("aGk=", { uri: "mem://notes", mimeType: "text/plain" }))).toEqual({
      content: [{ type: "resource", resource: { uri: "mem://notes", mimeType: "text/plain", blob: "aGk=" } }],
    });
  });

  it("passes content blocks through unchanged, annotations included", async () => {
    const block: ContentBlock = { type: "text", text: "hi", annotations: { audience: ["user"], priority: 0.5 } };

    expect(await call(block)).toEqual({ content: [block] });
  });

  it("passes embedded resources and resource links through", async () => {
    const embedded: ContentBlock = { type: "resource", resource: { uri: "test://doc", mimeType: "text/plain", text: "body" } };
    const link: ContentBlock = { type: "resource_link", uri: "test://big", name: "big", mimeType: "application/json" };

    expect(await call(embedded)).toEqual({ content: [embedded] });
    expect(await call([embedded, link])).toEqual({ content: [embedded, link] });
  });

  it("sends a ToolResult's content, structured content and meta as given", async () => {
    const result = await call(new ToolResult({ content: "3 rows", structuredContent: { rows: [1, 2, 3] }, meta: { cached: true } }));

    expect(result).toEqual({
      content: [{ type: "text", text: "3 rows" }],
      structuredContent: { rows: [1, 2, 3] },
      _meta: { cached: true },
    });
  });

  it("uses a ToolResult's structured content as JSON text when no content is given", async () => {
    expect(await call(new ToolResult({ structuredContent: { a: 1 } }))).toEqual({
      content: [{ type: "text", text: '{"a":1}' }],
      structuredContent: { a: 1 },
    });
  });

  it("returns a ToolResult with isError as an error result without throwing", async () => {
    const result = await call(new ToolResult({ content: ["bad input", image(PIXEL)], isError: true }), { output: z.object({ ok: z.boolean() }) });

    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: "text", text: "bad input" },
      { type: "image", data: base64(PIXEL), mimeType: "image/png" },
    ]);
  });

  it("refuses a ToolResult with neither content nor structured content", () => {
    const error = thrownBy(() => new ToolResult({ meta: { x: 1 } }));

    expect(error).toBeInstanceOf(McpkitError);
    expect(error.code).toBe(ErrorCodes.INVALID_RESULT);
  });

  it("answers a value with no MCP form (a function) with an error result saying so", async () => {
    const result = await call(() => 1);

    expect(result).toEqual({ content: [{ type: "text", text: "A tool returned a function, which has no MCP form" }], isError: true });
  });

  for (const mode of MODES) {
    it(`delivers structured content and JSON text to a ${mode} client`, async () => {
      const mcp = server();
      mcp.tool("weather", () => ({ city: "Oslo", temp: -3 }));
      const c = await client(mcp, { mode });

      const result = await c.callTool({ name: "weather", arguments: {} });

      expect(result.structuredContent).toEqual({ city: "Oslo", temp: -3 });
      expect(result.content).toEqual([{ type: "text", text: '{"city":"Oslo","temp":-3}' }]);
    });
  }
});

describe("tool output schemas", () => {
  it("lists an object output schema and validates the structured result against it", async () => {
    const mcp = server();
    mcp.tool({ name: "stats", output: z.object({ count: z.number(), label: z.string() }) }, () => ({ count: 2, label: "two" }));
    const c = await client(mcp);

    const { tools } = await c.listTools();
    const result = await c.callTool({ name: "stats", arguments: {} });

    expect(tools[0]?.outputSchema).toMatchObject({
      type: "object",
      properties: { count: { type: "number" }, label: { type: "string" } },
      required: ["count", "label"],
    });
    expect(result.structuredContent).toEqual({ count: 2, label: "two" });
    expect(result.isError).toBeFalsy();
  });

  it("sends null as { result: null } when a wrapped output schema allows it", async () => {
    const mcp = server();
    mcp.tool({ name: "maybe", output: z.number().nullable() }, () => null);
    const c = await client(mcp);

    const result = await c.callTool({ name: "maybe", arguments: {} });

    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ result: null });
  });

  it("wraps a primitive output schema as { result } and the value with it", async () => {
    const mcp = server();
    mcp.tool({ name: "answer", output: z.number() }, () => 42);

    const [tool] = await mcp.listTools();
    const result = await mcp.callTool("answer");

    expect(tool?.outputSchema).toEqual({
      type: "object",
      properties: { result: { type: "number" } },
      required: ["result"],
      "x-mcpkit-wrap-result": true,
    });
    expect(result).toEqual({ content: [{ type: "text", text: "42" }], structuredContent: { result: 42 } });
  });

  it("wraps an array output as { result } with JSON text", async () => {
    const mcp = server();
    mcp.tool({ name: "list", output: z.array(z.string()) }, () => ["a", "b"]);

    const result = await mcp.callTool("list");

    expect(result).toEqual({ content: [{ type: "text", text: '["a","b"]' }], structuredContent: { result: ["a", "b"] } });
  });

  for (const mode of MODES) {
    it(`sends the wrapped result to a ${mode} client`, async () => {
      const mcp = server();
      mcp.tool({ name: "answer", output: z.string() }, () => "yes");
      const c = await client(mcp, { mode });

      const result = await c.callTool({ name: "answer", arguments: {} });

      expect(result.structuredContent).toEqual({ result: "yes" });
      expect(result.content).toEqual([{ type: "text", text: "yes" }]);
    });
  }

  it("answers output that fails the schema with an error result naming the field", async () => {
    const mcp = server();
    mcp.tool({ name: "stats", output: z.object({ count: z.number() }) }, () => ({ count: "many" }));
    const c = await client(mcp);

    const result = await c.callTool({ name: "stats", arguments: {} });

    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(texts(result)[0]).toMatch(/^Tool 'stats' returned output that fails its schema: count: /);
  });

  it("answers a wrapped output of the wrong type with an error result", async () => {
    const mcp = server();
    mcp.tool({ name: "answer", output: z.number() }, () => "forty-two");

    const result = await mcp.callTool("answer");

    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toContain("Tool 'answer' returned output that fails its schema");
  });

  it("validates a ToolResult's structured content against the output schema", async () => {
    const mcp = server();
    mcp.tool({ name: "good", output: z.object({ n: z.number() }) }, () => new ToolResult({ content: "n is 1", structuredContent: { n: 1 } }));
    mcp.tool({ name: "bad", output: z.object({ n: z.number() }) }, () => new ToolResult({ content: "n is x", structuredContent: { n: "x" } }));

    expect(await mcp.callTool("good")).toEqual({ content: [{ type: "text", text: "n is 1" }], structuredContent: { n: 1 } });
    const bad = await mcp.callTool("bad");
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/^Tool 'bad' returned output that fails its schema: n: /);
  });

  it("answers a missing structured result with an error result when an object output is declared", async () => {
    const mcp = server();
    mcp.tool({ name: "stats", output: z.object({ count: z.number() }) }, () => "just text");

    const result = await mcp.callTool("stats");

    expect(result).toEqual({
      content: [{ type: "text", text: "Tool 'stats' declares an output schema but returned no structured content" }],
      isError: true,
    });
  });
});

describe("tool errors", () => {
  it("sends a ToolError's message to the client even when error details are masked", async () => {
    const mcp = server({ maskErrorDetails: true });
    mcp.tool("divide", () => {
      throw new ToolError("Cannot divide by zero");
    });
    const c = await client(mcp);

    const result = await c.callTool({ name: "divide", arguments: {} });

    expect(result).toEqual({ content: [{ type: "text", text: "Cannot divide by zero" }], isError: true });
  });

  it("masks a plain Error's message when error details are masked", async () => {
    const mcp = server({ maskErrorDetails: true });
    mcp.tool("leak", () => {
      throw new Error("password=hunter2");
    });
    const c = await client(mcp);

    const result = await c.callTool({ name: "leak", arguments: {} });

    expect(result).toEqual({ content: [{ type: "text", text: "Error calling tool 'leak'" }], isError: true });
  });

  it("prefixes a plain Error's message with the tool name when details are not masked", async () => {
    const mcp = server();
    mcp.tool("fail", async () => {
      throw new Error("disk full");
    });
    const c = await client(mcp);

    const result = await c.callTool({ name: "fail", arguments: {} });

    expect(result).toEqual({ content: [{ type: "text", text: "Error calling tool 'fail': disk full" }], isError: true });
  });

  it("still names the invalid field when error details are masked", async () => {
    const mcp = server({ maskErrorDetails: true });
    mcp.tool({ name: "add", input: z.object({ a: z.number() }) }, ({ a }) => a);

    const result = await mcp.callTool("add", { a: "x" });

    expect(result.isError).toBe(true);
    expect(texts(result)[0]).toMatch(/^Invalid arguments for tool 'add': a: /);
  });

  for (const mode of MODES) {
    it(`answers an unknown tool with JSON-RPC error -32602 to a ${mode} client`, async () => {
      const mcp = server();
      mcp.tool("known", () => "ok");
      const c = await client(mcp, { mode });

      const error = await rejectionOf(c.callTool({ name: "unknown", arguments: {} }));

      expect(error.code).toBe(-32602);
      expect(error.message).toContain("Unknown tool: unknown");
    });
  }

  it("throws NotFoundError for an unknown tool called in process", async () => {
    const mcp = server();

    const error = await rejectionOf(mcp.callTool("nope"));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe(ErrorCodes.NOT_FOUND);
    expect(error.message).toBe("Unknown tool: nope");
  });

  it("fails a call that outlives timeoutMs and aborts the handler's signal", async () => {
    const mcp = server();
    const signals: AbortSignal[] = [];
    mcp.tool({ name: "slow", timeoutMs: 20 }, async (_args, ctx) => {
      signals.push(ctx.signal);
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      return "too late";
    });
    const c = await client(mcp);

    const result = await c.callTool({ name: "slow", arguments: {} });

    expect(result).toEqual({ content: [{ type: "text", text: "Tool 'slow' timed out after 20 ms" }], isError: true });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(ToolError);
  });

  it("returns normally from a tool that finishes within timeoutMs, with the request's state", async () => {
    const mcp = server();
    mcp.use({
      async onCallTool(ctx, next) {
        ctx.context.state.set("user", "ada");
        return next();
      },
    });
    mcp.tool({ name: "fast", timeoutMs: 10_000 }, (_args, ctx) => `${String(ctx.state.get("user"))} ${ctx.signal.aborted}`);

    expect(await mcp.callTool("fast")).toEqual({ content: [{ type: "text", text: "ada false" }] });
  });
});

describe("tool metadata on the wire", () => {
  it("sends title, description, annotations, icons, sorted tags, meta and version", async () => {
    const mcp = server();
    mcp.tool(
      {
        name: "search",
        title: "Search",
        description: "Find things",
        annotations: { readOnlyHint: true, openWorldHint: false },
        icons: [{ src: "https://example.com/i.png", mimeType: "image/png", sizes: ["48x48"] }],
        tags: ["zeta", "alpha", "zeta"],
        meta: { team: "core", mcpkit: { owner: "me" } },
        version: 2,
      },
      () => "ok",
    );
    const c = await client(mcp);

    const { tools } = await c.listTools();

    expect(tools).toEqual([
      {
        name: "search",
        title: "Search",
        description: "Find things",
        inputSchema: { type: "object", properties: {} },
        annotations: { readOnlyHint: true, openWorldHint: false },
        icons: [{ src: "https://example.com/i.png", mimeType: "image/png", sizes: ["48x48"] }],
        _meta: { team: "core", mcpkit: { owner: "me", tags: ["alpha", "zeta"], version: "2" } },
      },
    ]);
  });

  it("sends no _meta for a tool without tags, meta or version", async () => {
    const mcp = server();
    mcp.tool("plain", () => "ok");

    const [tool] = await mcp.listTools();

    expect(tool).not.toHaveProperty("_meta");
  });

  it("sends the version alone under _meta.mcpkit", async () => {
    const mcp = server();
    mcp.tool({ name: "v", version: "1.2.0" }, () => "ok");

    const [tool] = await mcp.listTools();

    expect(tool?._meta).toEqual({ mcpkit: { version: "1.2.0" } });
  });

  it("rejects a meta.mcpkit that is not an object", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool({ name: "m", meta: { mcpkit: "x" } }, () => "ok"));

    expect(error.code).toBe(ErrorCodes.INVALID_COMPONENT);
    expect(error.message).toContain("meta.mcpkit must be an object");
  });

  it("rejects an invalid version", () => {
    const mcp = server();

    expect(thrownBy(() => mcp.tool({ name: "v", version: "1@2" }, () => "ok")).code).toBe(ErrorCodes.INVALID_COMPONENT);
    expect(thrownBy(() => mcp.tool({ name: "v", version: "" }, () => "ok")).code).toBe(ErrorCodes.INVALID_COMPONENT);
  });

  it("hides a tool registered with enabled: false from lists and calls", async () => {
    const mcp = server();
    mcp.tool({ name: "off", enabled: false }, () => "hidden");
    mcp.tool("on", () => "shown");

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["on"]);
    expect((await rejectionOf(mcp.callTool("off"))).message).toBe("Unknown tool: off");
  });
});

describe("tool registration", () => {
  it.each(["", "has space", "emoji😀", "semi;colon", "x".repeat(129)])("rejects the invalid tool name %j", (name) => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool(name, () => "x"));

    expect(error).toBeInstanceOf(McpkitError);
    expect(error.code).toBe(ErrorCodes.INVALID_COMPONENT);
    expect(error.message).toContain("Invalid tool name");
  });

  it("accepts names of letters, digits, '_', '-', '.' and '/' up to 128 characters", async () => {
    const mcp = server();
    mcp.tool("ns/get_user.v-2", () => "ok");
    mcp.tool("x".repeat(128), () => "ok");

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["ns/get_user.v-2", "x".repeat(128)]);
  });

  it("rejects a handler that is not a function", () => {
    const mcp = server();

    expect(thrownBy(() => mcp.tool("t", "nope" as never)).code).toBe(ErrorCodes.INVALID_COMPONENT);
  });

  it("warns and replaces a duplicate by default", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const mcp = server({ logLevel: "warning" });
      mcp.tool("dup", () => "first");
      mcp.tool("dup", () => "second");

      expect(await mcp.callTool("dup")).toEqual({ content: [{ type: "text", text: "second" }] });
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining("replacing the tool 'dup'")]);
    } finally {
      errors.mockRestore();
    }
  });

  it("throws on a duplicate with onDuplicate: error and keeps the first", async () => {
    const mcp = server({ onDuplicate: "error" });
    mcp.tool("dup", () => "first");

    const error = thrownBy(() => mcp.tool("dup", () => "second"));

    expect(error.code).toBe(ErrorCodes.DUPLICATE_COMPONENT);
    expect(error.message).toContain("'dup'");
    expect(await mcp.callTool("dup")).toEqual({ content: [{ type: "text", text: "first" }] });
  });

  it("replaces a duplicate silently with onDuplicate: replace", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const mcp = server({ onDuplicate: "replace", logLevel: "debug" });
      mcp.tool("dup", () => "first");
      mcp.tool("dup", () => "second");

      expect(await mcp.callTool("dup")).toEqual({ content: [{ type: "text", text: "second" }] });
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it("keeps the first registration with onDuplicate: ignore and returns it", async () => {
    const mcp = server({ onDuplicate: "ignore" });
    const first = mcp.tool("dup", () => "first");

    const returned = mcp.tool("dup", () => "second");

    expect(returned).toBe(first);
    expect(await mcp.callTool("dup")).toEqual({ content: [{ type: "text", text: "first" }] });
  });

  it("applies the duplicate policy to resources, templates and prompts too", async () => {
    const strict = server({ onDuplicate: "error" });
    strict.resource("r://x", () => "first");
    strict.resource("t://{id}", () => "first");
    strict.prompt("p", () => "first");

    expect(thrownBy(() => strict.resource("r://x", () => "second")).code).toBe(ErrorCodes.DUPLICATE_COMPONENT);
    expect(thrownBy(() => strict.resource("t://{id}", () => "second")).code).toBe(ErrorCodes.DUPLICATE_COMPONENT);
    expect(thrownBy(() => strict.prompt("p", () => "second")).code).toBe(ErrorCodes.DUPLICATE_COMPONENT);

    const lenient = server({ onDuplicate: "replace" });
    lenient.resource("r://x", () => "first");
    lenient.resource("r://x", () => "second");
    expect((await lenient.readResource("r://x")).contents[0]).toMatchObject({ text: "second" });
  });

  it("removes a tool so it is neither listed nor callable", async () => {
    const mcp = server();
    mcp.tool("gone", () => "here");
    mcp.tool("kept", () => "here");
    const c = await client(mcp);

    expect(mcp.removeTool("gone")).toBe(true);
    expect(mcp.removeTool("gone")).toBe(false);
    expect((await c.listTools()).tools.map((t) => t.name)).toEqual(["kept"]);
    expect((await rejectionOf(c.callTool({ name: "gone", arguments: {} }))).code).toBe(-32602);
  });

  it("lists tools in registration order", async () => {
    const mcp = server();
    for (const name of ["c", "a", "b"]) mcp.tool(name, () => name);

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["c", "a", "b"]);
  });
});
