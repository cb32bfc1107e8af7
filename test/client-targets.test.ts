/**
 * Everything `Client.connect` accepts as a target: a FastMCP instance, a URL
 * string or object, a RemoteTarget with headers and a bearer token, a server
 * file (.ts through tsx, .js/.mjs with this Node), a command, a transport; and
 * what it refuses.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Client } from "mcpkit/client";
import { ErrorCodes, FastMCP, McpkitError, type HttpHandle } from "mcpkit";

const MCPKIT_STDIO = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
const SDK_STDIO = fileURLToPath(new URL("./fixtures/sdk-server.ts", import.meta.url));
const SDK_ENTRY = import.meta.resolve("@modelcontextprotocol/server");
/** tsx by absolute URL, for servers spawned in another working directory. */
const TSX = import.meta.resolve("tsx");

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined);
});

function text(result: { content: readonly { type: string }[] }): string {
  const first = result.content[0] as { type: string; text?: string } | undefined;
  return first?.type === "text" ? (first.text ?? "") : "";
}

/** Whether a process is still alive (signal 0 probes without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Wait (bounded) for a process to be gone; true when it is. */
async function exited(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100 && alive(pid); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

function headerServer(): FastMCP {
  const mcp = new FastMCP({ name: "headers", logLevel: "silent" });
  mcp.tool({ name: "whoami" }, (_args, ctx) => ({
    authorization: ctx.request.headers.get("authorization"),
    team: ctx.request.headers.get("x-team"),
    trace: ctx.request.headers.get("x-trace"),
  }));
  mcp.tool({ name: "add", input: z.object({ a: z.number(), b: z.number() }), output: z.number() }, ({ a, b }) => a + b);
  return mcp;
}

describe("in-memory and transport targets", () => {
  it("a FastMCP instance connects in memory", async () => {
    const mcp = headerServer();
    open.push(mcp);
    await using client = await Client.connect(mcp);
    expect(client.target).toBe("in-memory server");
    expect(client.serverInfo?.name).toBe("headers");
    expect((await client.callTool("add", { a: 2, b: 3 })).data).toBe(5);
  });

  it("a transport object is used as it is", async () => {
    const mcp = headerServer();
    open.push(mcp);
    await using client = await Client.connect(mcp.inMemoryTransport(), { era: "legacy" });
    expect(client.target).toBe("transport");
    expect(client.era).toBe("legacy");
    expect((await client.callTool("add", { a: 1, b: 1 })).data).toBe(2);
  });
});

describe("HTTP targets", () => {
  let mcp: FastMCP;
  let handle: HttpHandle;
  beforeAll(async () => {
    mcp = headerServer();
    handle = await mcp.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await handle.close();
    await mcp.close();
  });

  it("a URL string connects over streamable HTTP", async () => {
    await using client = await Client.connect(handle.endpoint);
    expect(client.target).toBe(handle.endpoint);
    expect((await client.callTool("add", { a: 2, b: 2 })).data).toBe(4);
  });

  it("a URL object connects over streamable HTTP", async () => {
    await using client = await Client.connect(new URL(handle.endpoint), { era: "legacy" });
    expect(client.era).toBe("legacy");
    expect((await client.callTool("add", { a: 3, b: 3 })).data).toBe(6);
  });

  for (const era of ["auto", "legacy"] as const) {
    it(`a RemoteTarget's headers and the bearerToken option reach the server on every request (${era} era)`, async () => {
      await using client = await Client.connect(
        { url: handle.endpoint, headers: { "x-team": "blue" } },
        { era, bearerToken: "s3cret", headers: { "x-trace": "abc" } },
      );
      expect((await client.callTool("whoami")).data).toEqual({ authorization: "Bearer s3cret", team: "blue", trace: "abc" });
      // and again, on a later request
      expect((await client.callTool("whoami")).data).toMatchObject({ authorization: "Bearer s3cret" });
    });
  }

  it("a RemoteTarget with a URL object works the same", async () => {
    await using client = await Client.connect({ url: new URL(handle.endpoint) }, { bearerToken: "t" });
    expect((await client.callTool("whoami")).data).toMatchObject({ authorization: "Bearer t" });
  });
});

describe("server files and commands (stdio)", () => {
  it("a .ts file path (absolute) is run through tsx and served over stdio", async () => {
    await using client = await Client.connect(MCPKIT_STDIO);
    expect(client.serverInfo?.name).toBe("stdio-fixture");
    expect(client.era).toBe("modern");
    expect(text(await client.callTool("echo", { text: "hi" }))).toBe("echo: hi");
  });

  it("a .ts file path relative to the working directory works too, here with the SDK fixture in the legacy era", async () => {
    const path = relative(process.cwd(), SDK_STDIO);
    expect(path.startsWith("/")).toBe(false);
    await using client = await Client.connect(path, { era: "legacy" });
    expect(client.serverInfo?.name).toBe("sdk-fixture");
    expect((await client.callTool("add", { a: 1, b: 2 })).data).toEqual({ sum: 3 });
  });

  describe("plain JavaScript server files", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "mcpkit-js-server-"));
      const source = [
        `import { McpServer } from ${JSON.stringify(SDK_ENTRY)};`,
        `import { serveStdio } from ${JSON.stringify(SDK_ENTRY.replace(/index\.mjs$/, "stdio.mjs"))};`,
        `serveStdio(() => {`,
        `  const server = new McpServer({ name: "plain-js", version: "1.0.0" });`,
        `  server.registerTool("hello", { description: "Says hello" }, async () => ({ content: [{ type: "text", text: "hello from " + process.argv[1].split(".").pop() }] }));`,
        `  return server;`,
        `});`,
      ].join("\n");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
      writeFileSync(join(dir, "server.js"), source);
      writeFileSync(join(dir, "server.mjs"), source);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    for (const ext of ["js", "mjs"] as const) {
      it(`a .${ext} file is run with this Node and served over stdio`, async () => {
        await using client = await Client.connect(join(dir, `server.${ext}`));
        expect(client.serverInfo?.name).toBe("plain-js");
        expect((await client.listTools()).map((t) => t.name)).toEqual(["hello"]);
        expect(text(await client.callTool("hello"))).toBe(`hello from ${ext}`);
      });
    }
  });

  it("a CommandTarget passes args, env and cwd, and the server does not inherit the caller's environment", async () => {
    process.env.MCPKIT_TARGETS_PARENT_ONLY = "leaked";
    const cwd = mkdtempSync(join(tmpdir(), "mcpkit-cwd-"));
    try {
      await using client = await Client.connect(
        { command: process.execPath, args: ["--import", TSX, SDK_STDIO], env: { MCPKIT_TARGETS_GIVEN: "given" }, cwd, stderr: "ignore" },
        { era: "legacy" },
      );
      expect(text(await client.callTool("env", { name: "MCPKIT_TARGETS_GIVEN" }))).toBe("given");
      expect(text(await client.callTool("env", { name: "MCPKIT_TARGETS_PARENT_ONLY" }))).toBe("(unset)");
      expect(text(await client.callTool("cwd"))).toBe(cwd);
    } finally {
      delete process.env.MCPKIT_TARGETS_PARENT_ONLY;
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("`await using` closes the client at the end of the scope and the spawned server process exits", async () => {
    let pid = 0;
    let kept: Client | undefined;
    {
      await using client = await Client.connect({ command: process.execPath, args: ["--import", "tsx", MCPKIT_STDIO], stderr: "ignore" });
      kept = client;
      pid = Number(text(await client.callTool("pid")));
      expect(alive(pid)).toBe(true);
    }
    expect(await exited(pid)).toBe(true);
    const after = await kept.ping().catch((e: unknown) => e);
    expect(after).toBeInstanceOf(McpkitError);
    expect((after as McpkitError).code).toBe(ErrorCodes.CONNECTION_FAILED);
    await kept.close(); // closing twice is safe
  });

  it("close() stops the spawned server process (legacy era)", async () => {
    const client = await Client.connect(MCPKIT_STDIO, { era: "legacy" });
    const pid = Number(text(await client.callTool("pid")));
    await client.close();
    expect(await exited(pid)).toBe(true);
  });
});

describe("refused targets", () => {
  for (const path of ["server.rb", "server", "./folder/config.yaml"]) {
    it(`a file path with an unknown extension (${path}) is MCPKIT_INVALID_SETTING`, async () => {
      const error = await Client.connect(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpkitError);
      expect((error as McpkitError).code).toBe(ErrorCodes.INVALID_SETTING);
      expect((error as McpkitError).message).toContain(path);
    });
  }

  it("an object that is neither a server, a URL, a command nor a transport is MCPKIT_INVALID_SETTING", async () => {
    const error = await Client.connect({ nothing: true } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpkitError);
    expect((error as McpkitError).code).toBe(ErrorCodes.INVALID_SETTING);
  });

  it("a .ts file that does not exist fails with MCPKIT_CONNECTION_FAILED", async () => {
    const error = await Client.connect(join(tmpdir(), "mcpkit-no-such-server.ts"), { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpkitError);
    expect((error as McpkitError).code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect((error as McpkitError).message).toContain("mcpkit-no-such-server.ts");
  });
});
