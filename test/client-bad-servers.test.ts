/**
 * The mcpkit Client against servers that misbehave: garbage on stdout, silence,
 * misaddressed answers, dying mid-call, invalid structured output, broken HTTP
 * answers, nothing listening. Every failure must be a typed `MCPKIT_*` error,
 * and the client must still close; nothing may leak.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Client, type ClientOptions } from "mcpkit/client";
import { ErrorCodes, FastMCP, McpkitError } from "mcpkit";
import { startSdkHttpServer } from "./fixtures/sdk-server.js";

const BAD_STDIO = fileURLToPath(new URL("./fixtures/bad-stdio-server.mjs", import.meta.url));
const MCPKIT_STDIO = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
const SDK_STDIO = fileURLToPath(new URL("./fixtures/sdk-server.ts", import.meta.url));
const CLIENT_INDEX = pathToFileURL(fileURLToPath(new URL("../src/client/index.ts", import.meta.url))).href;
const ROOT = fileURLToPath(new URL("..", import.meta.url));

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined);
});

async function bad(mode: string, options: ClientOptions = {}): Promise<Client> {
  const client = await Client.connect({ command: process.execPath, args: [BAD_STDIO, mode] }, { era: "legacy", ...options });
  open.push(client);
  return client;
}

async function errorOf(promise: Promise<unknown>): Promise<McpkitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a rejection").toBeInstanceOf(McpkitError);
  return error as McpkitError;
}

function text(result: { content: readonly { type: string }[] }): string {
  const first = result.content[0] as { type: string; text?: string } | undefined;
  return first?.type === "text" ? (first.text ?? "") : "";
}

describe("a misbehaving stdio server", () => {
  for (const era of ["legacy", "auto"] as const) {
    it(`lines that are not JSON-RPC, and an answer nobody asked for, are skipped (${era} era)`, async () => {
      const client = await bad("malformed", { era });
      expect(client.serverInfo?.name).toBe("bad-malformed");
      expect(text(await client.callTool("add", { a: 2, b: 3 }))).toBe("5");
      await client.ping();
      expect((await client.listTools()).map((t) => t.name)).toEqual(["add"]);
    });
  }

  it("a server that never answers a call: the per-call timeout rejects with MCPKIT_TIMEOUT, the client still pings and closes", async () => {
    const client = await bad("silent");
    const error = await errorOf(client.callTool("add", { a: 1, b: 1 }, { timeoutMs: 200 }));
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
    await client.ping();
    await client.close();
  });

  it("a server that answers nothing after the handshake: a call still fails by its own timeoutMs, not a default one", async () => {
    const client = await bad("deaf");
    expect((await errorOf(client.callTool("add", { a: 1, b: 1 }, { timeoutMs: 200 }))).code).toBe(ErrorCodes.TIMEOUT);
    expect((await errorOf(client.ping({ timeoutMs: 200 }))).code).toBe(ErrorCodes.TIMEOUT);
    await client.close();
  });

  it("the client-wide timeoutMs applies to every call", async () => {
    const client = await bad("silent", { timeoutMs: 200 });
    expect((await errorOf(client.callTool("add", { a: 1, b: 1 }))).code).toBe(ErrorCodes.TIMEOUT);
  });

  it("an answer carrying the wrong id is ignored: the call times out and the client keeps working", async () => {
    const client = await bad("wrong-id");
    const error = await errorOf(client.callTool("add", { a: 1, b: 1 }, { timeoutMs: 200 }));
    expect(error.code).toBe(ErrorCodes.TIMEOUT);
    await client.ping();
  });

  it("a server that exits mid-call rejects every pending call with MCPKIT_CONNECTION_FAILED, and later calls too", async () => {
    const client = await bad("die");
    const [first, second] = await Promise.allSettled([client.callTool("add", { a: 1, b: 1 }), client.callTool("add", { a: 2, b: 2 })]);
    for (const outcome of [first, second]) {
      expect(outcome?.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason as McpkitError;
      expect(reason).toBeInstanceOf(McpkitError);
      expect(reason.code).toBe(ErrorCodes.CONNECTION_FAILED);
    }
    expect((await errorOf(client.ping())).code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect((await errorOf(client.listTools())).code).toBe(ErrorCodes.CONNECTION_FAILED);
    await client.close();
  });

  it("structured output that breaks the tool's own outputSchema is a typed MCPKIT_INVALID_OUTPUT error, listed first or not", async () => {
    const unlisted = await bad("bad-output");
    const error = await errorOf(unlisted.callTool("add", { a: 1, b: 2 }));
    expect(error.code).toBe(ErrorCodes.INVALID_OUTPUT);
    expect(error.message).toMatch(/output schema/i);

    const listed = await bad("bad-output");
    expect((await listed.listTools())[0]?.outputSchema).toBeDefined();
    expect((await errorOf(listed.callTool("add", { a: 1, b: 2 }))).code).toBe(ErrorCodes.INVALID_OUTPUT);
  });

  it("a result that is not a CallToolResult is a typed MCPKIT_INVALID_RESULT error", async () => {
    const client = await bad("garbage-result");
    expect((await errorOf(client.callTool("add", { a: 1, b: 2 }))).code).toBe(ErrorCodes.INVALID_RESULT);
    await client.ping();
  });

  it.skipIf(!existsSync("/proc"))("a server that never answers the handshake fails connect with MCPKIT_TIMEOUT, and its process is stopped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mcpkit-mute-"));
    const marker = `mcpkit-mute-marker-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      const script = join(dir, "mute.mjs");
      writeFileSync(script, "process.stdin.resume();\n");
      const error = await errorOf(Client.connect({ command: process.execPath, args: [script, marker] }, { era: "legacy", timeoutMs: 300 }));
      expect(error.code).toBe(ErrorCodes.TIMEOUT);
      expect(await gone(marker)).toEqual([]);
    } finally {
      for (const pid of processesWith(marker)) process.kill(pid, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a command that does not exist fails connect with MCPKIT_CONNECTION_FAILED", async () => {
    const error = await errorOf(Client.connect({ command: "mcpkit-no-such-command-for-tests" }, { timeoutMs: 5_000 }));
    expect(error.code).toBe(ErrorCodes.CONNECTION_FAILED);
  });
});

/**
 * A raw node:http endpoint: answers the 2025 handshake, `tools/list` (one tool, `anything`) and
 * `ping`, refuses `server/discover`, and lets `onCall` answer the rest (the tool calls).
 */
async function rawHttp(onCall: (message: { id: unknown; method: string }, req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const message = JSON.parse(body) as { id?: unknown; method: string; params?: { protocolVersion?: string } };
      const json = (payload: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(payload));
      if (message.id === undefined) res.writeHead(202).end();
      else if (message.method === "initialize") {
        json({
          jsonrpc: "2.0",
          id: message.id,
          result: { protocolVersion: message.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "raw-http", version: "0" } },
        });
      } else if (message.method === "server/discover") json({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
      else if (message.method === "tools/list") json({ jsonrpc: "2.0", id: message.id, result: { tools: [{ name: "anything", inputSchema: { type: "object" } }] } });
      else if (message.method === "ping") json({ jsonrpc: "2.0", id: message.id, result: {} });
      else onCall({ id: message.id, method: message.method }, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe("a misbehaving HTTP server", () => {
  for (const era of ["legacy", "auto"] as const) {
    it(`a body that is not JSON is a typed MCPKIT_INVALID_RESULT error (${era} era)`, async () => {
      const url = await rawHttp((_m, _req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{not json"));
      const client = await Client.connect(url, { era });
      open.push(client);
      expect((await errorOf(client.callTool("anything"))).code).toBe(ErrorCodes.INVALID_RESULT);
    });

    it(`a connection dropped in the middle of the answer is MCPKIT_CONNECTION_FAILED (${era} era)`, async () => {
      const url = await rawHttp((_m, req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "200" });
        res.write('{"jsonrpc":"2.0",', () => req.socket.destroy());
      });
      const client = await Client.connect(url, { era });
      open.push(client);
      expect((await errorOf(client.callTool("anything"))).code).toBe(ErrorCodes.CONNECTION_FAILED);
    });

    it(`a connection reset before any answer is MCPKIT_CONNECTION_FAILED (${era} era)`, async () => {
      const url = await rawHttp((_m, req) => req.socket.destroy());
      const client = await Client.connect(url, { era });
      open.push(client);
      expect((await errorOf(client.callTool("anything"))).code).toBe(ErrorCodes.CONNECTION_FAILED);
    });

    it(`an SSE answer stream that ends without the response fails the call with a typed error, and the client keeps working (${era} era)`, async () => {
      const url = await rawHttp((_m, req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": opened\n\n", () => req.socket.destroy());
      });
      const client = await Client.connect(url, { era });
      open.push(client);
      const error = await errorOf(client.callTool("anything", {}, { timeoutMs: 300 }));
      // Today the SDK does not notice that a non-resumable stream ended and the call waits for its timeout;
      // MCPKIT_CONNECTION_FAILED straight away would be better. Either way the error is typed.
      expect([ErrorCodes.TIMEOUT, ErrorCodes.CONNECTION_FAILED]).toContain(error.code);
      await client.ping();
    });

    it(`an HTTP 500 is MCPKIT_CONNECTION_FAILED carrying the body (${era} era)`, async () => {
      const url = await rawHttp((_m, _req, res) => res.writeHead(500, { "content-type": "text/plain" }).end("the database is on fire"));
      const client = await Client.connect(url, { era });
      open.push(client);
      const error = await errorOf(client.callTool("anything"));
      expect(error.code).toBe(ErrorCodes.CONNECTION_FAILED);
      expect(error.message).toContain("the database is on fire");
    });
  }

  for (const era of ["auto", "legacy", "modern"] as const) {
    it(`connection refused fails connect with MCPKIT_CONNECTION_FAILED (${era} era)`, async () => {
      const mcp = new FastMCP({ logLevel: "silent" });
      const handle = await mcp.listen({ port: 0 });
      const endpoint = handle.endpoint;
      await handle.close();
      await mcp.close();
      const error = await errorOf(Client.connect(endpoint, { era, timeoutMs: 5_000 }));
      expect(error.code).toBe(ErrorCodes.CONNECTION_FAILED);
      expect(error.message).toContain(endpoint);
    });
  }

  it("a server that goes away between calls makes the next call fail with MCPKIT_CONNECTION_FAILED", async () => {
    const sdk = await startSdkHttpServer();
    const client = await Client.connect(sdk.endpoint, { era: "legacy" });
    open.push(client);
    expect((await client.callTool("add", { a: 1, b: 1 })).data).toEqual({ sum: 2 });
    await sdk.close();
    expect((await errorOf(client.callTool("add", { a: 1, b: 1 }))).code).toBe(ErrorCodes.CONNECTION_FAILED);
  });
});

/** The processes whose command line contains `marker` (Linux /proc). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The processes still carrying `marker` once they have had a few seconds to exit (empty when all are gone). */
async function gone(marker: string): Promise<number[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (processesWith(marker).length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return processesWith(marker);
}

/** Run a node script (TypeScript through tsx) and wait for it to exit by itself; kill it and fail if it does not within `limitMs`. */
async function runToExit(script: string, env: Record<string, string>, limitMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let guard: NodeJS.Timeout | undefined;
  const stuck = new Promise<"stuck">((resolve) => (guard = setTimeout(() => resolve("stuck"), limitMs)));
  const outcome = await Promise.race([exited, stuck]);
  clearTimeout(guard);
  if (outcome === "stuck") {
    child.kill("SIGKILL");
    await exited;
    expect.fail(`the script did not exit by itself (something leaked)\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
  return { code: outcome, stdout, stderr };
}

describe.skipIf(!existsSync("/proc"))("no leaks", () => {
  const cases = [
    { server: "mcpkit stdio fixture", file: MCPKIT_STDIO, era: "auto" },
    { server: "mcpkit stdio fixture", file: MCPKIT_STDIO, era: "legacy" },
    { server: "SDK stdio fixture", file: SDK_STDIO, era: "auto" },
    { server: "SDK stdio fixture", file: SDK_STDIO, era: "legacy" },
  ] as const;

  it.each(cases)(
    "a script that connects to the $server ($era era), calls a tool and closes the client exits by itself, and the server process is gone",
    async ({ file, era }) => {
      const dir = mkdtempSync(join(tmpdir(), "mcpkit-leak-"));
      const marker = `mcpkit-leak-marker-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        const script = join(dir, "script.mts");
        writeFileSync(
          script,
          [
            `import { Client } from ${JSON.stringify(CLIENT_INDEX)};`,
            `const client = await Client.connect({ command: process.execPath, args: ["--import", "tsx", ${JSON.stringify(file)}, ${JSON.stringify(marker)}], cwd: ${JSON.stringify(ROOT)}, stderr: "ignore" }, { era: ${JSON.stringify(era)} });`,
            `const result = await client.callTool("pid");`,
            `const first = result.content[0];`,
            `process.stdout.write(JSON.stringify({ serverPid: first?.type === "text" ? Number(first.text) : -1, version: client.protocolVersion }) + "\\n");`,
            `await client.close();`,
          ].join("\n"),
        );
        const { code, stdout, stderr } = await runToExit(script, {}, 15_000);
        expect(code, stderr).toBe(0);
        const report = JSON.parse(stdout.trim()) as { serverPid: number; version: string };
        expect(report.version).toBe(era === "auto" ? "2026-07-28" : "2025-11-25");
        expect(report.serverPid).toBeGreaterThan(0);
        expect(await gone(marker)).toEqual([]);
      } finally {
        for (const pid of processesWith(marker)) process.kill(pid, "SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("a script that connects over HTTP, calls a tool and closes the client exits by itself", async () => {
    const sdk = await startSdkHttpServer();
    open.push(sdk);
    const dir = mkdtempSync(join(tmpdir(), "mcpkit-leak-"));
    try {
      const script = join(dir, "script.mts");
      writeFileSync(
        script,
        [
          `import { Client } from ${JSON.stringify(CLIENT_INDEX)};`,
          `for (const era of ["auto", "legacy"] as const) {`,
          `  const client = await Client.connect(process.env.ENDPOINT!, { era });`,
          `  const result = await client.callTool("add", { a: 1, b: 2 });`,
          `  process.stdout.write(JSON.stringify(result.data) + "\\n");`,
          `  await client.close();`,
          `}`,
        ].join("\n"),
      );
      const { code, stdout, stderr } = await runToExit(script, { ENDPOINT: sdk.endpoint }, 15_000);
      expect(code, stderr).toBe(0);
      expect(stdout.trim().split("\n")).toEqual(['{"sum":3}', '{"sum":3}']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
