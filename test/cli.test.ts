/**
 * The real `mcpkit` binary (built `dist/cli/bin.js`) run as a subprocess.
 */
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FastMCP } from "mcpkit";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "dist/cli/bin.js");
const fixture = join(root, "test/fixtures/cli-server.ts");
const exec = promisify(execFile);

/** Build `dist` when any source file is newer than the built binary. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  let built = 0;
  try {
    built = statSync(bin).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newest(join(root, "src"))) {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

function temp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-cli-"));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(() => ensureBuilt(), 120_000);

describe("mcpkit version and help", () => {
  it("prints its version", async () => {
    const r = await cli(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mcpkit \d+\.\d+\.\d+ \(node v\d+/);
  });

  it.each(["run", "dev", "inspect", "list", "call", "install", "init", "version"])("answers --help for %s with a usage line", async (command) => {
    const r = await cli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(`mcpkit ${command}`);
  });
});

describe("mcpkit list and call on a server file", () => {
  it("lists the tools of a file whose last line is `await mcp.run()`", async () => {
    const r = await cli(["list", fixture]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual(["add - Add numbers", "echo - Echo typed values", "fail - Always fails", "env - Reads CLI_TEST_VALUE"]);
  });

  it("lists as JSON with --json", async () => {
    const r = await cli(["list", fixture, "--json"]);
    expect(JSON.parse(r.stdout).map((t: { name: string }) => t.name)).toEqual(["add", "echo", "fail", "env"]);
  });

  it("types key=value arguments by the tool's schema and prints the structured result", async () => {
    const r = await cli(["call", fixture, "add", "a=2", "b=40"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sum: 42 });
    const echoed = await cli(["call", fixture, "echo", "text=123", "flag=true", "tags:=[\"x\",\"y\"]", "--json"]);
    expect(JSON.parse(echoed.stdout).data).toEqual({ text: "123", flag: true, tags: ["x", "y"] });
  });

  it("exits non-zero when the tool answers an error, printing its message", async () => {
    const r = await cli(["call", fixture, "fail"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("it failed on purpose");
  });

  it.each([
    [["call", fixture, "nope"], /Unknown tool 'nope'/],
    [["call", fixture, "add", "a=two", "b=1"], /Argument 'a' must be a number, got 'two'/],
    [["call", fixture, "add", "a=1"], /Invalid arguments for tool 'add': b/],
    [["call", fixture, "add", "oops"], /not key=value/],
  ])("fails with one clear line for %j", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(message);
  });
});

describe("mcpkit list and call on a URL and on an MCP config", () => {
  let mcp: FastMCP;
  let endpoint: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    mcp = new FastMCP({ name: "remote", logLevel: "silent" });
    mcp.tool({ name: "ping_back", description: "Says pong" }, () => "pong");
    const handle = await mcp.listen({ port: 0 });
    endpoint = handle.endpoint;
    close = async () => {
      await handle.close();
      await mcp.close();
    };
  });

  afterAll(async () => close());

  it("lists and calls over HTTP", async () => {
    expect((await cli(["list", endpoint])).stdout.trim()).toBe("ping_back - Says pong");
    expect((await cli(["call", endpoint, "ping_back"])).stdout.trim()).toBe("pong");
  });

  it("lists every server of an mcpServers config, namespaced", async () => {
    const config = temp("mcp.json", JSON.stringify({ mcpServers: { web: { url: endpoint }, local: { command: process.execPath, args: [bin, "run", fixture] } } }));
    const r = await cli(["list", config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("web_ping_back - Says pong");
    expect(r.stdout).toContain("local_add - Add numbers");
  });

  it("refuses a config that is not valid JSON, naming the file", async () => {
    const config = temp("broken.json", "{ not json");
    const r = await cli(["list", config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.json is not valid JSON/);
  });
});

describe("mcpkit inspect", () => {
  it("prints a stable JSON report with --format json", async () => {
    const r = await cli(["inspect", fixture, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(["server", "protocolVersion", "capabilities", "tools", "resources", "resourceTemplates", "prompts"]);
    expect(report.server).toMatchObject({ name: "cli-demo", version: "2.0.0" });
    expect(report.tools[0]).toMatchObject({ name: "add", inputSchema: { type: "object", required: ["a", "b"] } });
    expect(report.resources.map((x: { uri: string }) => x.uri)).toEqual(["config://app"]);
    expect(report.prompts.map((x: { name: string }) => x.name)).toEqual(["greet"]);
  });

  it("prints a readable summary by default", async () => {
    const r = await cli(["inspect", fixture]);
    expect(r.stdout).toContain("cli-demo 2.0.0");
    expect(r.stdout).toContain("Tools (4)");
    expect(r.stdout).toContain("  add - Add numbers");
  });
});

describe("loading server files", () => {
  it.each([
    ["a missing file", () => join(root, "test/fixtures/does-not-exist.ts"), /No such file/],
    ["a file with a syntax error", () => temp("broken.ts", 'export const mcp = new Map([;\n'), /Could not load .*broken\.ts/],
    ["a file exporting no server", () => join(root, "test/fixtures/cli-no-server.ts"), /exports no server.*exports: answer/],
    ["a file exporting two servers", () => join(root, "test/fixtures/cli-two-servers.ts"), /exports several servers \(one, two\)/],
    ["an export name that is not a server", () => `${fixture}:nothing`, /no server exported as 'nothing'/],
  ])("fails on %s with one clear line", async (_label, path, message) => {
    const r = await cli(["list", path()]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it("picks one server by name with file:export", async () => {
    const r = await cli(["inspect", `${join(root, "test/fixtures/cli-two-servers.ts")}:two`, "--format", "json"]);
    expect(JSON.parse(r.stdout).server.name).toBe("two");
  });
});

describe("mcpkit run", () => {
  it("serves a server file over stdio, with stdout carrying only the protocol", async () => {
    const client = new Client({ name: "cli-test", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, "run", fixture], cwd: root, stderr: "pipe" }) as never);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["add", "echo", "fail", "env"]);
    const r = await client.callTool({ name: "add", arguments: { a: 1, b: 1 } });
    expect(r.structuredContent).toEqual({ sum: 2 });
    await client.close();
  });

  it("loads --env-file before the server starts", async () => {
    const envFile = temp(".env", "CLI_TEST_VALUE=from-env-file\n");
    const client = new Client({ name: "cli-test", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, "run", fixture, "--env-file", envFile], cwd: root, stderr: "pipe" }) as never);
    const r = await client.callTool({ name: "env", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "from-env-file" }]);
    await client.close();
  });

  it("serves HTTP with --transport http, and fails with one line when the port is taken", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, "run", fixture, "--transport", "http", "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let listed: string[] = [];
      for (let attempt = 0; attempt < 100 && listed.length === 0; attempt++) {
        const r = await cli(["list", `http://127.0.0.1:${port}/mcp`]);
        if (r.code === 0) listed = r.stdout.split("\n").filter(Boolean);
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(listed[0]).toBe("add - Add numbers");
      const clash = await cli(["run", fixture, "--transport", "http", "--port", String(port)]);
      expect(clash.code).toBe(1);
      expect(clash.stderr).toMatch(new RegExp(`Port ${port} .* is in use`));
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("says plainly that running a URL as a proxy is not available yet", async () => {
    const r = await cli(["run", "http://127.0.0.1:1/mcp"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs proxies/);
  });
});

describe("the README's command-line examples", () => {
  it("calls the weather example's tool and inspects it", async () => {
    const call = await cli(["call", "examples/weather.ts", "get_forecast", "city=Paris", "days=2"]);
    expect(call.code).toBe(0);
    expect(JSON.parse(call.stdout)).toEqual({ city: "Paris", days: 2, summary: "sunny", highC: 21 });
    const inspect = await cli(["inspect", "examples/weather.ts", "--format", "json"]);
    expect(JSON.parse(inspect.stdout).tools.map((t: { name: string }) => t.name)).toEqual(["get_forecast", "list_cities"]);
  });
});

describe("mcpkit install", () => {
  async function cliIn(cwd: string, args: string[]): Promise<Run> {
    try {
      const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  const existing = { theme: "dark", mcpServers: { other: { command: "other-server", args: ["--flag"] } } };

  it("merges into an existing config, keeps the other entries, and the entry starts the server", async () => {
    const config = temp("mcp.json", JSON.stringify(existing, null, 2));
    const r = await cli(["install", "cursor", fixture, "--config", config, "--env", "CLI_TEST_VALUE=installed"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Added 'cli-demo'/);
    const written = JSON.parse(readFileSync(config, "utf8"));
    expect(written.theme).toBe("dark");
    expect(written.mcpServers.other).toEqual(existing.mcpServers.other);
    const entry = written.mcpServers["cli-demo"];
    expect(entry).toMatchObject({ command: process.execPath, env: { CLI_TEST_VALUE: "installed" } });

    const client = new Client({ name: "installed", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...process.env, ...entry.env } as Record<string, string>, cwd: tmpdir(), stderr: "pipe" }) as never);
    expect((await client.callTool({ name: "env", arguments: {} })).content).toEqual([{ type: "text", text: "installed" }]);
    await client.close();
  });

  it("replaces an entry of the same name and says so", async () => {
    const config = temp("mcp.json", JSON.stringify({ mcpServers: { mine: { command: "old" } } }));
    const r = await cli(["install", "gemini-cli", fixture, "--name", "mine", "--config", config]);
    expect(r.stderr).toMatch(/Replaced 'mine'/);
    expect(JSON.parse(readFileSync(config, "utf8")).mcpServers.mine.command).toBe(process.execPath);
  });

  it("writes VS Code's workspace file under servers with a type, and Claude Code's .mcp.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpkit-install-"));
    expect((await cliIn(dir, ["install", "vscode", fixture])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, ".vscode/mcp.json"), "utf8")).servers["cli-demo"]).toMatchObject({ type: "stdio", command: process.execPath });
    expect((await cliIn(dir, ["install", "claude-code", fixture, "--name", "demo"])).code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, ".mcp.json"), "utf8")).mcpServers)).toEqual(["demo"]);
  });

  it("prints the config for mcp-json and for --dry-run, writing nothing", async () => {
    const printed = await cli(["install", "mcp-json", fixture]);
    expect(JSON.parse(printed.stdout).mcpServers["cli-demo"].args.slice(-2)).toEqual(["run", fixture]);
    const config = temp("mcp.json", JSON.stringify(existing));
    const before = readFileSync(config, "utf8");
    const dry = await cli(["install", "claude-desktop", fixture, "--config", config, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).mcpServers["cli-demo"]).toBeDefined();
    expect(readFileSync(config, "utf8")).toBe(before);
  });

  it("refuses a config that is not valid JSON and leaves it exactly as it was", async () => {
    const config = temp("mcp.json", '{ "mcpServers": { "x": ');
    const r = await cli(["install", "cursor", fixture, "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not valid JSON.*nothing was changed/);
    expect(readFileSync(config, "utf8")).toBe('{ "mcpServers": { "x": ');
    expect(readdirSync(dirname(config))).toEqual(["mcp.json"]);
  });

  it("refuses an unknown target with the list of known ones", async () => {
    const r = await cli(["install", "emacs", fixture]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unknown target 'emacs': use one of claude-desktop, claude-code, cursor, vscode, gemini-cli, mcp-json/);
  });
});

describe("mcpkit dev", () => {
  it("serves over HTTP, reloads when the file changes, and stops cleanly", async () => {
    const dir = mkdtempSync(join(root, "test/fixtures/.tmp-dev-"));
    const file = join(dir, "server.ts");
    const version = (v: string) =>
      `import { FastMCP } from "mcpkit";\nexport const mcp = new FastMCP({ name: "dev-demo", logLevel: "warning" });\nmcp.tool({ name: "which" }, () => "${v}");\n`;
    writeFileSync(file, version("v1"));
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}/mcp`;
    const child = spawn(process.execPath, [bin, "dev", file, "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const callUntil = async (expected: string): Promise<string> => {
      let last = "";
      for (let attempt = 0; attempt < 150 && last !== expected; attempt++) {
        const r = await cli(["call", endpoint, "which", "--timeout", "5"]);
        last = r.stdout.trim();
        if (last !== expected) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return last;
    };
    try {
      expect(await callUntil("v1")).toBe("v1");
      expect(stderr).toContain("@modelcontextprotocol/inspector");
      writeFileSync(file, version("v2"));
      expect(await callUntil("v2")).toBe("v2");
      expect(stderr).toMatch(/reloading/);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    }
    // The served process is gone with it: nothing answers on the port any more.
    expect((await cli(["list", endpoint])).code).not.toBe(0);
  }, 60_000);
});

describe("mcpkit init", () => {
  it("creates a project whose build and tests pass at once", async () => {
    const parent = mkdtempSync(join(root, "test/fixtures/.tmp-init-"));
    try {
      const project = join(parent, "my-server");
      const r = await cli(["init", project]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/Created my-server/);
      expect(readdirSync(project).sort()).toEqual([".gitignore", "README.md", "package.json", "src", "test", "tsconfig.json"]);
      // mcpkit as the project will get it from the registry: this package, linked; the rest resolves from here.
      mkdirSync(join(project, "node_modules"));
      symlinkSync(root, join(project, "node_modules", "mcpkit"), "dir");
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: project, stdio: "pipe", timeout: 60_000 });
      const tests = execFileSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run"], { cwd: project, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
      expect(tests).toMatch(/2 passed/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses a folder that is not empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpkit-init-"));
    writeFileSync(join(dir, "keep.txt"), "mine");
    const r = await cli(["init", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not empty/);
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
  });
});
