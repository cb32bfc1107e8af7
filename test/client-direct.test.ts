import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { FastMCP } from "../src/index.js";
import type { Client, ClientOptions } from "../src/client/index.js";
import { DirectChannel } from "../src/client/direct.js";
import { connect } from "../src/testing/index.js";
import { richServer, SCRIPT, type Msg } from "./fast-lane-support.js";

/**
 * The client's direct channel to a FastMCP server in memory
 * (src/client/direct.ts) against the SDK client's path on the same server:
 * a client with an `onMessage` hook never uses the channel, so it is the
 * reference. Every tool call must come out the same, results and errors.
 */

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined);
  vi.restoreAllMocks();
});

async function client(mcp: FastMCP<any>, options: ClientOptions = {}): Promise<Client> {
  const c = await connect(mcp, options);
  open.push(c);
  return c;
}

/** What a call came to: its result, or its error's class, code and message. */
async function outcome(c: Client, name: string, args: Record<string, unknown>, raiseOnError = true): Promise<Msg> {
  try {
    return { result: await c.callTool(name, args, { raiseOnError }) };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string; rpcCode?: number };
    return { error: { name: e.name, code: e.code, message: e.message, rpcCode: e.rpcCode } };
  }
}

function server(): FastMCP<any> {
  const mcp = richServer();
  // Middleware runs after the tool's own output check: it can send what the output schema forbids.
  mcp.tool({ name: "liar", output: z.object({ n: z.number() }) }, () => ({ n: 1 }));
  mcp.tool({ name: "mute", output: z.object({ n: z.number() }) }, () => ({ n: 1 }));
  mcp.use({
    onCallTool: async (ctx, next) => {
      const name = (ctx.params as { name?: string }).name;
      if (name === "liar") return { content: [{ type: "text", text: "{}" }], structuredContent: { n: "one" } };
      if (name === "mute") return { content: [{ type: "text", text: "nothing" }] };
      return next();
    },
  });
  return mcp;
}

const CALLS = SCRIPT.filter(([id, method, params]) => method === "tools/call" && !id.startsWith("malformed") && typeof params?.name === "string").map(
  ([id, , params]) => [id, params?.name as string, (params?.arguments ?? {}) as Record<string, unknown>] as const,
);

describe.each(["modern", "legacy"] as const)("the client's direct channel (%s era)", (era) => {
  it("returns what the SDK client's path returns for every scripted tool call, errors included", async () => {
    const mcp = server();
    const requests = vi.spyOn(DirectChannel.prototype, "request");
    const direct = await client(mcp, { era });
    const reference = await client(mcp, { era, onMessage: () => undefined });
    await direct.listTools();
    await reference.listTools();
    for (const raise of [true, false]) {
      for (const [id, name, args] of [...CALLS, ["liar", "liar", {}] as const, ["mute", "mute", {}] as const]) {
        const before = requests.mock.calls.length;
        const a = await outcome(direct, name, args, raise);
        // A tool the listing does not know goes the SDK client's way (it has no definition to check output against).
        expect({ id, direct: requests.mock.calls.length > before }).toEqual({ id, direct: name !== "no_such_tool" });
        const b = await outcome(reference, name, args, raise);
        expect({ id, ...a }).toEqual({ id, ...b });
      }
    }
    expect(requests.mock.calls.length).toBeGreaterThan(CALLS.length);
  });

  it("times out as the SDK client does, and tells the server the call is cancelled", async () => {
    const mcp = new FastMCP({ name: "slow", version: "1.0.0", logLevel: "silent" });
    const aborted = new Promise<string>((resolve) => {
      mcp.tool({ name: "slow" }, async (_args, ctx) => {
        await new Promise((r) => ctx.signal.addEventListener("abort", r, { once: true }));
        resolve("handler saw the cancellation");
        return "late";
      });
    });
    const c = await client(mcp, { era, timeoutMs: 50 });
    const error: unknown = await c.callTool("slow", {}).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("MCPKIT_TIMEOUT");
    expect(await aborted).toBe("handler saw the cancellation");
    // The connection still serves.
    mcp.tool({ name: "quick" }, () => "quick");
    expect((await c.callTool("quick")).content).toEqual([{ type: "text", text: "quick" }]);
    await mcp.close();
  });
});

describe("the client's direct channel and the SDK client's path", () => {
  it("leaves a call that needs the client's input to the SDK client, which answers it and retries", async () => {
    const mcp = new FastMCP({ name: "asks", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "greet" }, async (_args, ctx) => {
      const r = await ctx.elicit("Name?", z.object({ name: z.string() }));
      return r.action === "accept" ? `hello ${r.data.name}` : r.action;
    });
    const requests = vi.spyOn(DirectChannel.prototype, "request");
    const c = await client(mcp, { era: "modern", elicitation: async () => ({ action: "accept", content: { name: "Ada" } }) });
    expect((await c.callTool("greet")).content).toEqual([{ type: "text", text: "hello Ada" }]);
    expect(requests).toHaveBeenCalledTimes(1);
    await mcp.close();
  });

  it("does not use the channel where the SDK client's machinery is needed: a signal, progress, a hook on every message", async () => {
    const mcp = new FastMCP({ name: "plain", version: "1.0.0", logLevel: "silent" });
    mcp.tool({ name: "quick" }, () => "quick");
    const requests = vi.spyOn(DirectChannel.prototype, "request");
    const c = await client(mcp);
    await c.callTool("quick", {}, { signal: new AbortController().signal });
    await c.callTool("quick", {}, { onProgress: () => undefined });
    const hooked = await client(mcp, { onMessage: () => undefined });
    await hooked.callTool("quick");
    expect(requests).not.toHaveBeenCalled();
    await c.callTool("quick");
    expect(requests).toHaveBeenCalledTimes(1);
    await mcp.close();
  });

  it("fails a call in flight when the server goes away, as a closed connection", async () => {
    const mcp = new FastMCP({ name: "gone", version: "1.0.0", logLevel: "silent" });
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    mcp.tool({ name: "hang" }, async () => {
      started();
      await new Promise(() => undefined);
    });
    const c = await client(mcp);
    const call: Promise<unknown> = c.callTool("hang").catch((e: unknown) => e);
    await running;
    await mcp.close();
    expect(((await call) as { code?: string }).code).toBe("MCPKIT_CONNECTION_FAILED");
  });
});
