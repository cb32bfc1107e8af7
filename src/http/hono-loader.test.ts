import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorCodes, McpkitError } from "../errors/index.js";
import { honoNow, loadHono } from "./hono-loader.js";

// The loader keeps what it loaded for the process: the tests run in this order.
describe("the hono loader", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("names the way out when hono cannot be loaded synchronously", () => {
    vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
    let error: unknown;
    try {
      honoNow();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(McpkitError);
    expect((error as McpkitError).code).toBe(ErrorCodes.INVALID_STATE);
    expect((error as McpkitError).message).toMatch(/await mcp\.loadHttp\(\)/);
  });

  it("requires hono synchronously on Node, as the same module `import \"hono\"` gives", async () => {
    const now = honoNow();
    expect(now.Hono).toBe(Hono);
    expect(new now.Hono()).toBeInstanceOf(Hono);
    expect(await loadHono()).toBe(now);
  });
});
