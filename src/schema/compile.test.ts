import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ErrorCodes } from "../errors/index.js";
import { compileSchema, formatIssues, isObjectSchema } from "./index.js";

describe("compileSchema", () => {
  it("returns the same compiled object for the same schema and side", () => {
    const schema = z.object({ a: z.string() });

    expect(compileSchema(schema, "input", "one")).toBe(compileSchema(schema, "input", "two"));
  });

  it("compiles the input and output sides separately", () => {
    const schema = z.object({ n: z.string().default("x") });

    const input = compileSchema(schema, "input", "t");
    const output = compileSchema(schema, "output", "t");

    expect(input).not.toBe(output);
    expect(input.json.required).toBeUndefined();
    expect(output.json.required).toEqual(["n"]);
    expect(input).toBe(compileSchema(schema, "input", "t"));
    expect(output).toBe(compileSchema(schema, "output", "t"));
  });

  it("memoizes raw JSON Schema objects by identity", () => {
    const raw = { type: "object", properties: { a: { type: "number" } } };

    expect(compileSchema(raw, "input", "t")).toBe(compileSchema(raw, "input", "t"));
    expect(compileSchema({ ...raw }, "input", "t")).not.toBe(compileSchema(raw, "input", "t"));
  });

  it("freezes the published JSON Schema and copies raw input", () => {
    const raw: Record<string, unknown> = { type: "object", properties: {} };

    const compiled = compileSchema(raw, "input", "t");
    raw.type = "array";

    expect(Object.isFrozen(compiled.json)).toBe(true);
    expect(compiled.json.type).toBe("object");
  });

  it("validates and reports issues with dotted paths", async () => {
    const compiled = compileSchema(z.object({ user: z.object({ age: z.number() }) }), "input", "t");

    const ok = await compiled.validate({ user: { age: 3 } });
    const bad = await compiled.validate({ user: { age: "x" } });

    expect(ok).toEqual({ ok: true, value: { user: { age: 3 } } });
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.issues.map((i) => i.path)).toEqual(["user.age"]);
  });

  it("names the owner in conversion errors", () => {
    expect(() => compileSchema(z.object({ d: z.date() }), "input", "Tool 'when'")).toThrowError(
      expect.objectContaining({ code: ErrorCodes.INVALID_SCHEMA, message: expect.stringContaining("Tool 'when'") }),
    );
  });
});

describe("isObjectSchema and formatIssues", () => {
  it("recognises object schemas by type or by properties", () => {
    expect(isObjectSchema({ type: "object" })).toBe(true);
    expect(isObjectSchema({ properties: {} })).toBe(true);
    expect(isObjectSchema({ type: "string", properties: {} })).toBe(false);
    expect(isObjectSchema({})).toBe(false);
  });

  it("joins issues as path: message, leaving out an empty root path", () => {
    expect(formatIssues([{ path: "", message: "bad root" }, { path: "a.b", message: "too short" }])).toBe("bad root; a.b: too short");
  });
});
