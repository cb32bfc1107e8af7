import { describe, expect, it } from "vitest";
import { ErrorCodes, McpkitError, NotFoundError, PromptError, ResourceError, ToolError, ValidationError } from "../src/index.js";

describe("mcpkit errors", () => {
  it("has one unique MCPKIT_* string per code, derived from its key", () => {
    const entries = Object.entries(ErrorCodes);

    for (const [key, code] of entries) expect(code).toBe(`MCPKIT_${key}`);
    expect(new Set(entries.map(([, code]) => code)).size).toBe(entries.length);
  });

  it.each([
    [ToolError, ErrorCodes.TOOL_ERROR],
    [ResourceError, ErrorCodes.RESOURCE_ERROR],
    [PromptError, ErrorCodes.PROMPT_ERROR],
    [NotFoundError, ErrorCodes.NOT_FOUND],
  ])("gives %o its code, its class name and the cause", (ErrorClass, code) => {
    const cause = new Error("root");

    const error = new ErrorClass("message", { cause, data: { extra: 1 } });

    expect(error).toBeInstanceOf(McpkitError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.cause).toBe(cause);
    expect(error.data).toEqual({ extra: 1 });
  });

  it("keeps validation issues on the error and as its wire data", () => {
    const issues = [{ path: "a.b", message: "too short" }];

    const error = new ValidationError("bad arguments", issues);

    expect(error.code).toBe(ErrorCodes.INVALID_ARGUMENTS);
    expect(error.issues).toEqual(issues);
    expect(error.data).toEqual({ issues });
  });
});
