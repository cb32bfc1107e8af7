/**
 * The mcpkit Client against servers built directly on the official MCP SDK v2
 * (test/fixtures/sdk-server.ts and legacy-only-server.ts), over stdio and HTTP,
 * in every era choice.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, RemoteError, ToolCallError, type ClientOptions, type ConnectTarget } from "mcpkit/client";
import { ErrorCodes, McpkitError } from "mcpkit";
import { startSdkHttpServer, type SdkHttpServer } from "./fixtures/sdk-server.js";
import { startLegacyOnlyHttpServer } from "./fixtures/legacy-only-server.js";

const SDK_SERVER = fileURLToPath(new URL("./fixtures/sdk-server.ts", import.meta.url));
const LEGACY_ONLY_SERVER = fileURLToPath(new URL("./fixtures/legacy-only-server.ts", import.meta.url));
const MODERN = "2026-07-28";
const LEGACY = "2025-11-25";

type Era = NonNullable<ClientOptions["era"]>;
type Via = "stdio command" | "stdio file path" | "http";

const http: { dual?: SdkHttpServer; legacyOnly?: SdkHttpServer } = {};
beforeAll(async () => {
  http.dual = await startSdkHttpServer();
  http.legacyOnly = await startLegacyOnlyHttpServer();
});
afterAll(async () => {
  await http.dual?.close();
  await http.legacyOnly?.close();
});

function target(via: Via, file: string, endpoint: () => string): ConnectTarget {
  if (via === "stdio command") return { command: process.execPath, args: ["--import", "tsx", file], stderr: "ignore" };
  if (via === "stdio file path") return file;
  return endpoint();
}

function text(result: { content: readonly { type: string }[] }): string {
  const first = result.content[0] as { type: string; text?: string } | undefined;
  return first?.type === "text" ? (first.text ?? "") : "";
}

const CASES: { via: Via; era: Era; version: string }[] = [];
for (const via of ["stdio command", "stdio file path", "http"] as const) {
  CASES.push({ via, era: "auto", version: MODERN }, { via, era: "legacy", version: LEGACY }, { via, era: "modern", version: MODERN });
}

describe.each(CASES)("mcpkit Client -> official SDK v2 server over $via, era $era", ({ via, era, version }) => {
  let client: Client;
  beforeAll(async () => {
    client = await Client.connect(
      target(via, SDK_SERVER, () => http.dual!.endpoint),
      { era },
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it(`negotiates ${version} and reports the server's identity and instructions`, () => {
    expect(client.protocolVersion).toBe(version);
    expect(client.era).toBe(version === MODERN ? "modern" : "legacy");
    expect(client.serverInfo).toMatchObject({ name: "sdk-fixture", version: "2.4.0" });
    expect(client.instructions).toBe("An SDK-built server for interop tests.");
    expect(client.serverCapabilities?.tools).toBeDefined();
  });

  it("lists tools with their schemas", async () => {
    const tools = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["add", "echo", "fail", "pid", "env", "cwd"]);
    const add = tools.find((t) => t.name === "add");
    expect(add?.inputSchema).toMatchObject({ type: "object", properties: { a: { type: "number" }, b: { type: "number" } } });
    expect(add?.outputSchema).toMatchObject({ type: "object", properties: { sum: { type: "number" } } });
  });

  it("calls a tool with an output schema and gets its structured output as data", async () => {
    const result = await client.callTool("add", { a: 2, b: 40 });
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toEqual({ sum: 42 });
    expect(result.data).toEqual({ sum: 42 });
    expect(text(result)).toBe("42");
  });

  it("calls a text-only tool: content, no structured output", async () => {
    const result = await client.callTool("echo", { text: "hi" });
    expect(text(result)).toBe("echo: hi");
    expect(result.structuredContent).toBeUndefined();
    expect(result.data).toBeUndefined();
  });

  it("raises ToolCallError for an isError answer, or returns it when raiseOnError is false", async () => {
    const failure = await client.callTool("fail").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolCallError);
    expect((failure as ToolCallError).code).toBe(ErrorCodes.TOOL_CALL_FAILED);
    expect((failure as ToolCallError).message).toContain("it failed on purpose");
    const result = await client.callTool("fail", {}, { raiseOnError: false });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe("it failed on purpose");
  });

  it("gets the SDK server's input validation failure as a ToolCallError carrying the message", async () => {
    const failure = await client.callTool("add", { a: "two", b: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolCallError);
    expect((failure as ToolCallError).message).toMatch(/Invalid arguments for tool add/);
  });

  it("reports an unknown tool as a RemoteError with the JSON-RPC code", async () => {
    const error = await client.callTool("nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: ErrorCodes.REMOTE_ERROR, rpcCode: -32602 });
    expect((error as RemoteError).message).toContain("nope");
  });

  it("lists and reads a static resource and a templated one", async () => {
    const resources = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["docs://readme"]);
    const templates = await client.listResourceTemplates();
    expect(templates.map((t) => t.uriTemplate)).toEqual(["greeting://{name}"]);
    expect(await client.readResource("docs://readme")).toEqual([{ uri: "docs://readme", mimeType: "text/plain", text: "Read me first." }]);
    const [greeting] = await client.readResource("greeting://Ada");
    expect(greeting).toMatchObject({ uri: "greeting://Ada", text: "Hello, Ada!" });
  });

  it("lists and renders a prompt", async () => {
    const prompts = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["review"]);
    expect(prompts[0]?.arguments?.map((a) => a.name)).toEqual(["language", "code"]);
    const rendered = await client.getPrompt("review", { language: "ts", code: "let x = 1" });
    expect(rendered.messages).toEqual([{ role: "user", content: { type: "text", text: "Review this ts: let x = 1" } }]);
  });

  it("complete() on a server without completions is a RemoteError -32601", async () => {
    const error = await client.complete({ type: "ref/prompt", name: "review" }, { name: "language", value: "t" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).rpcCode).toBe(-32601);
  });

  it("pings the server", async () => {
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it("reports an unknown resource as a RemoteError", async () => {
    const error = await client.readResource("docs://missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).code).toBe(ErrorCodes.REMOTE_ERROR);
  });
});

describe.each(["stdio command", "stdio file path", "http"] as const)("mcpkit Client -> legacy-only official SDK server over %s", (via) => {
  const legacyTarget = () => target(via, LEGACY_ONLY_SERVER, () => http.legacyOnly!.endpoint);

  it("era auto falls back to the 2025 handshake and everything works", async () => {
    await using client = await Client.connect(legacyTarget(), { era: "auto" });
    expect(client.protocolVersion).toBe(LEGACY);
    expect(client.era).toBe("legacy");
    expect((await client.callTool("add", { a: 1, b: 2 })).data).toEqual({ sum: 3 });
    expect(await client.readResource("docs://readme")).toMatchObject([{ text: "Read me first." }]);
    expect((await client.getPrompt("review", { language: "go", code: "x" })).messages).toHaveLength(1);
    await client.ping();
  });

  it("era modern refuses clearly with MCPKIT_CONNECTION_FAILED", async () => {
    const error = await Client.connect(legacyTarget(), { era: "modern" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpkitError);
    expect((error as McpkitError).code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect((error as McpkitError).message).toMatch(/2026-07-28/);
  });
});
