import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorCodes, FastMCP, McpkitError, VERSION, readEnvSettings } from "../src/index.js";
import { MODES, texts, thrownBy, useServers } from "./support.js";

const { server, client } = useServers();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("readEnvSettings", () => {
  it("reads nothing from an empty environment", () => {
    expect(readEnvSettings({})).toEqual({});
  });

  it.each(["1e3", "0x10", " 80", "8.0", "+80"])("refuses %j as a port: only plain decimal digits are a number here", (value) => {
    expect(() => readEnvSettings({ MCPKIT_PORT: value })).toThrow(/MCPKIT_PORT/);
  });

  it("parses every MCPKIT_* variable", () => {
    expect(
      readEnvSettings({
        MCPKIT_TRANSPORT: "http",
        MCPKIT_HOST: "0.0.0.0",
        MCPKIT_PORT: "8123",
        MCPKIT_PATH: "/api/mcp",
        MCPKIT_LOG_LEVEL: "WARNING",
        MCPKIT_MASK_ERROR_DETAILS: "true",
        MCPKIT_STATELESS_HTTP: "0",
        MCPKIT_JSON_RESPONSE: "yes",
        MCPKIT_LIST_PAGE_SIZE: "50",
      }),
    ).toEqual({
      transport: "http",
      host: "0.0.0.0",
      port: 8123,
      path: "/api/mcp",
      logLevel: "warning",
      maskErrorDetails: true,
      statelessHttp: false,
      jsonResponse: true,
      listPageSize: 50,
    });
  });

  it("takes streamable-http as http", () => {
    expect(readEnvSettings({ MCPKIT_TRANSPORT: "streamable-http" })).toEqual({ transport: "http" });
  });

  it.each([
    ["1", true],
    ["TRUE", true],
    ["on", true],
    ["Yes", true],
    ["0", false],
    ["false", false],
    ["OFF", false],
    ["no", false],
  ])("reads the boolean %j as %s", (raw, value) => {
    expect(readEnvSettings({ MCPKIT_MASK_ERROR_DETAILS: raw }).maskErrorDetails).toBe(value);
  });

  it("ignores variables set to the empty string", () => {
    expect(readEnvSettings({ MCPKIT_PORT: "", MCPKIT_TRANSPORT: "", MCPKIT_MASK_ERROR_DETAILS: "", MCPKIT_LIST_PAGE_SIZE: "" })).toEqual({});
  });

  it("accepts the port bounds 0 and 65535", () => {
    expect(readEnvSettings({ MCPKIT_PORT: "0" }).port).toBe(0);
    expect(readEnvSettings({ MCPKIT_PORT: "65535" }).port).toBe(65535);
  });

  it.each([
    ["MCPKIT_TRANSPORT", "sse"],
    ["MCPKIT_PORT", "eighty"],
    ["MCPKIT_PORT", "65536"],
    ["MCPKIT_PORT", "-1"],
    ["MCPKIT_PORT", "80.5"],
    ["MCPKIT_PATH", "mcp"],
    ["MCPKIT_LOG_LEVEL", "verbose"],
    ["MCPKIT_MASK_ERROR_DETAILS", "maybe"],
    ["MCPKIT_STATELESS_HTTP", "2"],
    ["MCPKIT_JSON_RESPONSE", "sure"],
    ["MCPKIT_LIST_PAGE_SIZE", "0"],
    ["MCPKIT_LIST_PAGE_SIZE", "ten"],
  ])("rejects %s=%j with an error naming the variable", (name, value) => {
    const error = thrownBy(() => readEnvSettings({ [name]: value }));

    expect(error).toBeInstanceOf(McpkitError);
    expect(error.code).toBe(ErrorCodes.INVALID_SETTING);
    expect(error.message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(error.message).toContain("expected");
  });

  it("reads process.env by default", () => {
    vi.stubEnv("MCPKIT_PORT", "9001");

    expect(readEnvSettings().port).toBe(9001);
  });
});

describe("settings on the server", () => {
  const failing = (mcp: FastMCP<any>) => {
    mcp.tool("fail", () => {
      throw new Error("secret detail");
    });
    return mcp;
  };

  it("masks error details when MCPKIT_MASK_ERROR_DETAILS is on", async () => {
    vi.stubEnv("MCPKIT_MASK_ERROR_DETAILS", "true");
    const mcp = failing(server());

    expect(texts(await mcp.callTool("fail"))).toEqual(["Error calling tool 'fail'"]);
  });

  it("prefers an explicit maskErrorDetails over the environment", async () => {
    vi.stubEnv("MCPKIT_MASK_ERROR_DETAILS", "true");
    const open = failing(server({ maskErrorDetails: false }));
    vi.stubEnv("MCPKIT_MASK_ERROR_DETAILS", "false");
    const masked = failing(server({ maskErrorDetails: true }));

    expect(texts(await open.callTool("fail"))).toEqual(["Error calling tool 'fail': secret detail"]);
    expect(texts(await masked.callTool("fail"))).toEqual(["Error calling tool 'fail'"]);
  });

  it("refuses to start with an invalid MCPKIT_* variable, naming it", () => {
    vi.stubEnv("MCPKIT_LOG_LEVEL", "loud");

    const error = thrownBy(() => new FastMCP({ name: "x" }));

    expect(error.code).toBe(ErrorCodes.INVALID_SETTING);
    expect(error.message).toContain("MCPKIT_LOG_LEVEL");
  });

  it("writes its own warnings at or above MCPKIT_LOG_LEVEL, unless logLevel says otherwise", () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      vi.stubEnv("MCPKIT_LOG_LEVEL", "error");
      const quiet = new FastMCP({ name: "quiet" });
      quiet.tool("dup", () => "a");
      quiet.tool("dup", () => "b");
      expect(errors).not.toHaveBeenCalled();

      const loud = new FastMCP({ name: "loud", logLevel: "warning" });
      loud.tool("dup", () => "a");
      loud.tool("dup", () => "b");
      expect(errors).toHaveBeenCalledTimes(1);
      expect(String(errors.mock.calls[0]?.[0])).toMatch(/^\[loud\] warning: .*replacing the tool 'dup'/);
    } finally {
      errors.mockRestore();
    }
  });

  it("refuses a requestStateKey shorter than 32 bytes", () => {
    const error = thrownBy(() => new FastMCP({ name: "x", requestStateKey: "too short" }));

    expect(error.code).toBe(ErrorCodes.INVALID_SETTING);
    expect(error.message).toContain("32 bytes");
    expect(() => new FastMCP({ name: "x", requestStateKey: "k".repeat(32) })).not.toThrow();
  });
});

describe("server identity", () => {
  it("generates a name and uses mcpkit's version by default", () => {
    const mcp = server({ name: undefined as never });

    expect(mcp.name).toMatch(/^mcpkit-[a-z0-9]{1,4}$/);
    expect(mcp.version).toBe(VERSION);
  });

  it("turns a numeric version into a string", () => {
    expect(server({ version: 2 }).version).toBe("2");
  });

  for (const mode of MODES) {
    it(`sends name, version, title, website, icons and instructions to a ${mode} client`, async () => {
      const mcp = server({
        name: "Weather",
        version: "1.2.3",
        title: "Weather Server",
        websiteUrl: "https://example.com",
        icons: [{ src: "https://example.com/icon.png" }],
        instructions: "Ask about the weather.",
      });
      const c = await client(mcp, { mode });

      expect(c.getServerVersion()).toMatchObject({
        name: "Weather",
        version: "1.2.3",
        title: "Weather Server",
        websiteUrl: "https://example.com",
        icons: [{ src: "https://example.com/icon.png" }],
      });
      expect(c.getInstructions()).toBe("Ask about the weather.");
    });
  }

  it("sends changed instructions to clients that connect afterwards", async () => {
    const mcp = server({ instructions: "old" });
    const before = await client(mcp);
    mcp.instructions = "new";
    const after = await client(mcp);

    expect(before.getInstructions()).toBe("old");
    expect(after.getInstructions()).toBe("new");
  });
});
