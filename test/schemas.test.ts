import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorCodes, McpkitError, type StandardSchemaV1 } from "../src/index.js";
import { texts, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

/** The input schema as listed, without the dialect marker some libraries add. */
async function listedInput(mcp: ReturnType<typeof server>, name: string) {
  const tool = (await mcp.listTools()).find((t) => t.name === name);
  const { $schema: _dialect, ...rest } = (tool?.inputSchema ?? {}) as Record<string, unknown>;
  return rest;
}

describe("schema libraries", () => {
  it("turns a zod 4 object into the input schema and validates with it", async () => {
    const mcp = server();
    mcp.tool({ name: "z", input: z.object({ q: z.string().min(2).describe("query"), limit: z.number().int().default(10) }) }, (args) => args);

    expect(await listedInput(mcp, "z")).toEqual({
      type: "object",
      properties: { q: { type: "string", minLength: 2, description: "query" }, limit: { type: "integer", default: 10, minimum: expect.any(Number), maximum: expect.any(Number) } },
      required: ["q"],
    });
    expect((await mcp.callTool("z", { q: "ok" })).structuredContent).toEqual({ q: "ok", limit: 10 });
    const bad = await mcp.callTool("z", { q: "x" });
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/Invalid arguments for tool 'z': q: /);
  });

  it("gives the handler zod's parsed output, transforms included", async () => {
    const mcp = server();
    mcp.tool({ name: "len", input: z.object({ word: z.string().transform((s) => s.length) }) }, ({ word }) => word * 2);

    expect(await listedInput(mcp, "len")).toMatchObject({ properties: { word: { type: "string" } } });
    expect(await mcp.callTool("len", { word: "abcd" })).toEqual({ content: [{ type: "text", text: "8" }] });
  });

  it("accepts valibot wrapped with toStandardJsonSchema and validates with it", async () => {
    const mcp = server();
    const input = toStandardJsonSchema(v.object({ name: v.pipe(v.string(), v.minLength(1)), n: v.optional(v.number(), 3) }));
    mcp.tool({ name: "vb", input }, (args) => args);

    expect(await listedInput(mcp, "vb")).toEqual({
      type: "object",
      properties: { name: { type: "string", minLength: 1 }, n: { type: "number", default: 3 } },
      required: ["name"],
    });
    expect((await mcp.callTool("vb", { name: "x" })).structuredContent).toEqual({ name: "x", n: 3 });
    const bad = await mcp.callTool("vb", { name: 7 });
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/^Invalid arguments for tool 'vb': name: /);
  });

  it("rejects a bare valibot schema at registration and says how to fix it", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool({ name: "vb", input: v.object({ a: v.string() }) }, () => "x"));

    expect(error).toBeInstanceOf(McpkitError);
    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.code).toBe("MCPKIT_INVALID_SCHEMA");
    expect(error.message).toContain("Tool 'vb'");
    expect(error.message).toContain("toStandardJsonSchema()");
    expect(error.message).toContain("@valibot/to-json-schema");
  });

  it("rejects another Standard Schema without JSON Schema support and names the alternatives", () => {
    const mcp = server();
    const bare: StandardSchemaV1 = { "~standard": { version: 1, vendor: "acme", validate: (value) => ({ value }) } };

    const error = thrownBy(() => mcp.tool({ name: "acme", input: bare }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.message).toContain("the acme schema cannot describe itself as JSON Schema");
    expect(error.message).toContain("raw JSON Schema");
  });

  it("accepts arktype and validates with it", async () => {
    const mcp = server();
    mcp.tool({ name: "ark", input: type({ name: "string", "age?": "number" }) }, (args) => args);

    expect(await listedInput(mcp, "ark")).toEqual({
      type: "object",
      properties: { name: { type: "string" }, age: { type: "number" } },
      required: ["name"],
    });
    expect((await mcp.callTool("ark", { name: "ada", age: 36 })).structuredContent).toEqual({ name: "ada", age: 36 });
    const bad = await mcp.callTool("ark", { name: 1 });
    expect(bad.isError).toBe(true);
    expect(texts(bad)[0]).toMatch(/^Invalid arguments for tool 'ark': name: /);
  });

  it("publishes raw JSON Schema as given and validates arguments with it", async () => {
    const mcp = server();
    const input = {
      type: "object",
      properties: { id: { type: "integer", minimum: 1 }, mode: { enum: ["fast", "slow"] } },
      required: ["id"],
      additionalProperties: false,
    } as const;
    mcp.tool({ name: "raw", input }, (args) => args);
    const c = await client(mcp);

    const { tools } = await c.listTools();
    const ok = await c.callTool({ name: "raw", arguments: { id: 3, mode: "slow" } });
    const badType = await c.callTool({ name: "raw", arguments: { id: "3" } });
    const extra = await c.callTool({ name: "raw", arguments: { id: 3, other: true } });
    const missing = await c.callTool({ name: "raw", arguments: {} });

    expect(tools[0]?.inputSchema).toEqual(input);
    expect(ok.structuredContent).toEqual({ id: 3, mode: "slow" });
    expect(badType.isError).toBe(true);
    expect(texts(badType)[0]).toContain("id");
    expect(extra.isError).toBe(true);
    expect(missing.isError).toBe(true);
    expect(texts(missing)[0]).toContain("Invalid arguments for tool 'raw'");
  });

  it("accepts a raw JSON Schema that describes an object by its properties alone", async () => {
    const mcp = server();
    mcp.tool({ name: "props", input: { properties: { a: { type: "string" } } } }, (args) => args);

    expect((await mcp.callTool("props", { a: "x" })).structuredContent).toEqual({ a: "x" });
  });

  it("rejects an invalid raw JSON Schema at registration", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool({ name: "bad", input: { type: "object", properties: { a: { type: "nonsense" } } } }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.message).toContain("Tool 'bad': invalid JSON Schema");
  });

  it("rejects a schema the library cannot convert, keeping the cause", () => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool({ name: "when", input: z.object({ at: z.date() }) }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.message).toContain("Tool 'when': the schema cannot be converted to JSON Schema");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([
    ["a zod string", z.string()],
    ["a zod array", z.array(z.number())],
    ["a raw array schema", { type: "array", items: { type: "number" } }],
    ["a wrapped valibot number", toStandardJsonSchema(v.number())],
  ])("rejects %s as an input schema", (_label, input) => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool({ name: "t", input }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.message).toBe("Tool 't': the input schema must describe an object");
  });

  it.each([
    ["a number", 5],
    ["an array", [1, 2]],
    ["null", null],
  ])("rejects %s in place of a schema", (_label, input) => {
    const mcp = server();

    const error = thrownBy(() => mcp.tool({ name: "t", input: input as never }, () => "x"));

    expect(error.code).toBe(ErrorCodes.INVALID_SCHEMA);
    expect(error.message).toContain("a schema must be a Standard Schema or a JSON Schema object");
  });

  it("lists nothing broken after a failed registration", async () => {
    const mcp = server();
    mcp.tool("good", () => "ok");
    thrownBy(() => mcp.tool({ name: "bad", input: v.object({}) }, () => "x"));

    expect((await mcp.listTools()).map((t) => t.name)).toEqual(["good"]);
  });

  it("validates output with valibot, arktype and raw JSON Schema output schemas", async () => {
    const mcp = server();
    mcp.tool({ name: "vb", output: toStandardJsonSchema(v.object({ n: v.number() })) }, () => ({ n: "x" }));
    mcp.tool({ name: "ark", output: type("number") }, () => 5);
    mcp.tool({ name: "raw", output: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } }, () => ({ ok: true }));

    const vb = await mcp.callTool("vb");
    expect(vb.isError).toBe(true);
    expect(texts(vb)[0]).toMatch(/^Tool 'vb' returned output that fails its schema: n: /);
    expect(await mcp.callTool("ark")).toEqual({ content: [{ type: "text", text: "5" }], structuredContent: { result: 5 } });
    expect(await mcp.callTool("raw")).toEqual({ content: [{ type: "text", text: '{"ok":true}' }], structuredContent: { ok: true } });
  });

  it("strips the JSON Schema dialect from a wrapped result schema", async () => {
    const mcp = server();
    mcp.tool({ name: "n", output: z.number().int() }, () => 1);

    const [tool] = await mcp.listTools();

    expect(tool?.outputSchema).toMatchObject({ properties: { result: { type: "integer" } } });
    expect((tool?.outputSchema as { properties: { result: Record<string, unknown> } }).properties.result).not.toHaveProperty("$schema");
  });
});

describe("schema conversion happens once", () => {
  it("shares one converted input schema between tools given the same schema object", async () => {
    const mcp = server();
    const shared = z.object({ id: z.string() });
    mcp.tool({ name: "a", input: shared }, ({ id }) => id);
    mcp.tool({ name: "b", input: shared }, ({ id }) => id);

    const [a, b] = await mcp.listTools();

    expect(a?.inputSchema).toBe(b?.inputSchema);
  });

  it("converts a schema object once however many components and list calls use it", async () => {
    const mcp = server();
    const base = z.object({ id: z.string() });
    let conversions = 0;
    const counted: StandardSchemaV1 = {
      "~standard": {
        ...base["~standard"],
        jsonSchema: {
          input: (options: never) => {
            conversions++;
            return base["~standard"].jsonSchema.input(options);
          },
          output: (options: never) => base["~standard"].jsonSchema.output(options),
        },
      } as never,
    };
    mcp.tool({ name: "a", input: counted }, (args) => args);
    mcp.tool({ name: "b", input: counted }, (args) => args);
    mcp.prompt({ name: "p", args: counted }, () => "x");
    const c = await client(mcp);

    await c.listTools();
    await c.listTools();
    await mcp.callTool("a", { id: "1" });

    expect(conversions).toBe(1);
  });
});
