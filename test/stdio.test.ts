/**
 * The stdio transport with a real server process: test/fixtures/stdio-server.ts
 * calls `await mcp.run()`. Clients are the SDK's stdio client and a raw pipe
 * that checks every byte the server writes to stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { killAll, rawPeer } from "./child-process.js";
import { envelope, firstText, httpClient, LEGACY, MODERN, sleep } from "./fixtures/wire.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSX = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
const FIXTURE = "test/fixtures/stdio-server.ts";

const children = new Set<ChildProcessWithoutNullStreams>();
const clients = new Set<Client>();

afterEach(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  clients.clear();
  await killAll(children);
});

/** Spawn the fixture with pipes on all three streams. */
function spawnFixture(env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(TSX, [FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, MCPKIT_TRANSPORT: "", MCPKIT_PORT: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  return child;
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

async function stdioClient(mode: "legacy" | "auto"): Promise<{ client: Client; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: TSX,
    args: [FIXTURE],
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "" },
    stderr: "pipe",
  });
  const client = new Client({ name: "stdio-test", version: "1.0.0" }, { capabilities: {}, versionNegotiation: { mode } } as never);
  clients.add(client);
  await client.connect(transport as never);
  return { client, transport };
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("stdio with the SDK client", () => {
  it("a legacy-mode client lists and calls tools on a spawned server", async () => {
    const { client } = await stdioClient("legacy");
    expect(client.getNegotiatedProtocolVersion()).toBe(LEGACY);
    expect(client.getServerVersion()).toMatchObject({ name: "stdio-fixture", version: "1.0.0" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["echo", "noisy", "pid"]);
    expect(firstText(await client.callTool({ name: "echo", arguments: { text: "over a pipe" } }))).toBe("echo: over a pipe");
  });

  it("an auto-mode client negotiates the 2026-07-28 era over stdio and calls tools", async () => {
    const { client } = await stdioClient("auto");
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("echo");
    expect(firstText(await client.callTool({ name: "echo", arguments: { text: "modern pipe" } }))).toBe("echo: modern pipe");
  });

  it.each(["legacy", "auto"] as const)("a tool that writes to the console does not disturb the client (%s mode)", async (mode) => {
    const { client, transport } = await stdioClient(mode);
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    expect(firstText(await client.callTool({ name: "noisy", arguments: {} }))).toBe("quiet answer");
    expect(firstText(await client.callTool({ name: "echo", arguments: { text: "after noise" } }))).toBe("echo: after noise");
    for (let i = 0; i < 50 && !stderr.includes("noise from console.debug"); i++) await sleep(20);
    expect(stderr).toContain("noise from console.log");
  });
});

describe("stdio on the wire", () => {
  it("every line the server writes to stdout is a JSON-RPC message, even when a tool logs to the console", async () => {
    const child = spawnFixture();
    const peer = rawPeer(child);
    const init = await peer.request(0, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "raw", version: "1" } });
    expect(init.result.serverInfo.name).toBe("stdio-fixture");
    peer.notify("notifications/initialized");
    const noisy = await peer.request(1, "tools/call", { name: "noisy", arguments: {} });
    expect(noisy.result.content).toEqual([{ type: "text", text: "quiet answer" }]);
    const listed = await peer.request(2, "tools/list");
    expect(listed.result.tools).toHaveLength(3);
    child.stdin.end();
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });

    expect(peer.trailing()).toBe("");
    expect(peer.lines.length).toBeGreaterThanOrEqual(3);
    for (const line of peer.lines) {
      const message = JSON.parse(line) as Record<string, unknown>;
      expect(message.jsonrpc, line).toBe("2.0");
      expect("id" in message || "method" in message, line).toBe(true);
    }
    for (const method of ["log", "info", "debug", "warn", "error"]) expect(peer.stderr()).toContain(`noise from console.${method}`);
  });

  it("a modern request with the _meta envelope is answered on the same pipe, console noise kept off stdout", async () => {
    const child = spawnFixture();
    const peer = rawPeer(child);
    const discover = await peer.request("d", "server/discover", { _meta: envelope() });
    expect(discover.result.supportedVersions).toContain(MODERN);
    const call = await peer.request(1, "tools/call", { name: "noisy", arguments: {}, _meta: envelope() });
    expect(call.result.content).toEqual([{ type: "text", text: "quiet answer" }]);
    child.stdin.end();
    await exitOf(child);
    for (const line of peer.lines) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc, line).toBe("2.0");
    expect(peer.stderr()).toContain("noise from console.log");
  });

  it("a line that is not JSON gets an error or is skipped, and the server keeps serving", async () => {
    const child = spawnFixture();
    const peer = rawPeer(child);
    child.stdin.write("this is not json\n");
    const init = await peer.request(0, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "raw", version: "1" } });
    expect(init.result).toBeDefined();
    peer.notify("notifications/initialized");
    expect((await peer.request(1, "tools/call", { name: "echo", arguments: { text: "ok" } })).result.content).toEqual([{ type: "text", text: "echo: ok" }]);
    child.stdin.end();
    await exitOf(child);
    for (const line of peer.lines) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc, line).toBe("2.0");
  });

  it("the process exits with code 0 when its stdin closes", async () => {
    const child = spawnFixture();
    const peer = rawPeer(child);
    await peer.request(0, "initialize", { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "raw", version: "1" } });
    child.stdin.end();
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });

  it("the process exits when stdin closes before any message arrived", async () => {
    const child = spawnFixture();
    child.stdout.resume();
    child.stderr.resume();
    child.stdin.end();
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });
});

describe("the same fixture over HTTP", () => {
  it("MCPKIT_TRANSPORT=http and MCPKIT_PORT make run() serve HTTP on that port", async () => {
    const port = await freePort();
    const child = spawnFixture({ MCPKIT_TRANSPORT: "http", MCPKIT_PORT: String(port) });
    let stderr = "";
    child.stdout.resume();
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    const base = `http://127.0.0.1:${port}`;
    let health: Response | undefined;
    for (let i = 0; i < 200 && health === undefined; i++) {
      if (child.exitCode !== null) throw new Error(`fixture exited early: ${stderr}`);
      health = await fetch(`${base}/health`).catch(() => undefined);
      if (health === undefined) await sleep(50);
    }
    expect(health?.status).toBe(200);
    expect(await health?.json()).toEqual({ status: "ok", server: "stdio-fixture" });

    for (const mode of ["legacy", "auto"] as const) {
      const client = await httpClient(`${base}/mcp`, mode);
      clients.add(client);
      expect(firstText(await client.callTool({ name: "echo", arguments: { text: `http ${mode}` } }))).toBe(`echo: http ${mode}`);
      // The tool runs in the spawned process, not here.
      expect(Number(firstText(await client.callTool({ name: "pid", arguments: {} })))).not.toBe(process.pid);
      await client.close();
      clients.delete(client);
    }

    child.kill("SIGTERM");
    const { code, signal } = await exitOf(child);
    expect(code === 0 || signal === "SIGTERM").toBe(true);
    expect(await fetch(`${base}/health`).catch(() => "refused")).toBe("refused");
  });
});
