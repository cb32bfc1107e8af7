import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

describe("package", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
    engines: { node: string };
    dependencies: Record<string, string>;
  };

  it("reports the version package.json declares", () => {
    expect(VERSION).toBe(pkg.version);
  });

  it("pins the MCP SDK to the 2.4 minor", () => {
    expect(pkg.dependencies["@modelcontextprotocol/server"]).toBe("~2.4.0");
  });

  it("requires Node 20.19 or newer", () => {
    expect(pkg.engines.node).toBe(">=20.19");
  });
});
