import { afterEach, describe, expect, it, vi } from "vitest";
import { standardFromJsonSchema } from "./json-schema.js";
import { loadedSdk } from "./sdk-loader.js";

const POINT = { type: "object", properties: { x: { type: "number" } }, required: ["x"] };

// The engine is made once per process: the first test runs before anything loaded it.
describe("a raw JSON Schema as a Standard Schema", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("validates after loading the SDK where the engine cannot be required synchronously", async () => {
    vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
    const schema = standardFromJsonSchema(POINT);
    expect(loadedSdk()).toBeUndefined();
    const good = schema["~standard"].validate({ x: 1 });
    expect(good).toBeInstanceOf(Promise);
    expect(await good).toEqual({ value: { x: 1 } });
    expect(loadedSdk()).toBeDefined();
    expect(await schema["~standard"].validate({ x: "one" })).toMatchObject({ issues: [{ message: expect.any(String) }] });
  });

  it("compiles at once, and validates synchronously, once the engine is there", () => {
    const schema = standardFromJsonSchema(POINT);
    expect(schema["~standard"].validate({ x: 2 })).toEqual({ value: { x: 2 } });
    expect(() => standardFromJsonSchema({ type: "no-such-type" })).toThrow();
  });
});
