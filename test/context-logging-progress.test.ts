import type { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { FastMCP } from "../src/index.js";
import { connectClient } from "./helpers.js";

const MODES = ["legacy", "auto"] as const;
const LOG_LEVEL_META = "io.modelcontextprotocol/logLevel";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function serve(mcp: FastMCP<any>, mode: (typeof MODES)[number]): Promise<Client> {
  const client = await connectClient(mcp, { mode });
  open.push(mcp, client);
  return client;
}

function collectLogs(client: Client): { level: string; logger?: string; data: unknown }[] {
  const logs: { level: string; logger?: string; data: unknown }[] = [];
  client.setNotificationHandler("notifications/message", (notification) => {
    logs.push(notification.params as { level: string; logger?: string; data: unknown });
  });
  return logs;
}

/** A server whose `chatty` tool logs once at each level. */
function chattyServer(): FastMCP {
  const mcp = new FastMCP({ name: "Chatty" });
  mcp.tool({ name: "chatty" }, async (_args, ctx) => {
    await ctx.debug("debugging");
    await ctx.info("working", { step: 1 });
    await ctx.log("notice", "noticed");
    await ctx.warning("careful");
    await ctx.error("failed", { code: 7 });
    return "done";
  });
  return mcp;
}

describe("ctx.log on a legacy session", () => {
  it("sends notifications/message with the server's name as logger, and {msg, extra} when extra is given", async () => {
    const client = await serve(chattyServer(), "legacy");
    const logs = collectLogs(client);

    const result = await client.callTool({ name: "chatty", arguments: {} });

    expect(result.isError).toBeFalsy();
    expect(logs).toEqual([
      { level: "debug", logger: "Chatty", data: "debugging" },
      { level: "info", logger: "Chatty", data: { msg: "working", extra: { step: 1 } } },
      { level: "notice", logger: "Chatty", data: "noticed" },
      { level: "warning", logger: "Chatty", data: "careful" },
      { level: "error", logger: "Chatty", data: { msg: "failed", extra: { code: 7 } } },
    ]);
  });

  it("drops messages below the level the client set with logging/setLevel", async () => {
    const client = await serve(chattyServer(), "legacy");
    const logs = collectLogs(client);

    await client.setLoggingLevel("warning");
    await client.callTool({ name: "chatty", arguments: {} });

    expect(logs.map((l) => l.level)).toEqual(["warning", "error"]);
  });
});

describe("ctx.log in the modern era", () => {
  it("sends nothing when the request carries no log level", async () => {
    const client = await serve(chattyServer(), "auto");
    const logs = collectLogs(client);

    const result = await client.callTool({ name: "chatty", arguments: {} });

    expect(result.isError).toBeFalsy();
    expect(logs).toEqual([]);
  });

  it("sends messages at and above the level in the request's _meta", async () => {
    const client = await serve(chattyServer(), "auto");
    const logs = collectLogs(client);

    await client.callTool({ name: "chatty", arguments: {}, _meta: { [LOG_LEVEL_META]: "info" } });

    expect(logs).toEqual([
      { level: "info", logger: "Chatty", data: { msg: "working", extra: { step: 1 } } },
      { level: "notice", logger: "Chatty", data: "noticed" },
      { level: "warning", logger: "Chatty", data: "careful" },
      { level: "error", logger: "Chatty", data: { msg: "failed", extra: { code: 7 } } },
    ]);
  });

  it("applies the log level per request, not per connection", async () => {
    const client = await serve(chattyServer(), "auto");
    const logs = collectLogs(client);

    await client.callTool({ name: "chatty", arguments: {}, _meta: { [LOG_LEVEL_META]: "error" } });
    await client.callTool({ name: "chatty", arguments: {} });

    expect(logs.map((l) => l.level)).toEqual(["error"]);
  });
});

describe("ctx.log without a client", () => {
  it("is a silent no-op for an in-process call", async () => {
    const mcp = chattyServer();
    open.push(mcp);

    const result = await mcp.callTool("chatty");

    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: "text", text: "done" }]);
  });
});

describe.each(MODES)("ctx.progress (%s client)", (mode) => {
  function progressServer(): FastMCP {
    const mcp = new FastMCP({ name: "Progress" });
    mcp.tool({ name: "steps" }, async (_args, ctx) => {
      await ctx.progress(0, 3, "starting");
      await ctx.progress(1, 3);
      await ctx.progress(2);
      await ctx.progress(3, 3, "finished");
      return `token=${String(ctx.request.meta?.progressToken ?? "none")}`;
    });
    return mcp;
  }

  it("reaches the client's onprogress callback with progress, total and message", async () => {
    const client = await serve(progressServer(), mode);
    const seen: unknown[] = [];

    const result = await client.callTool({ name: "steps", arguments: {} }, { onprogress: (p) => seen.push(p) });

    expect(result.isError).toBeFalsy();
    expect(text(result)).not.toBe("token=none");
    expect(seen).toEqual([
      { progress: 0, total: 3, message: "starting" },
      { progress: 1, total: 3 },
      { progress: 2 },
      { progress: 3, total: 3, message: "finished" },
    ]);
  });

  it("sends nothing, and does not fail, when the client asked for no progress", async () => {
    const client = await serve(progressServer(), mode);
    const stray: unknown[] = [];
    client.setNotificationHandler("notifications/progress", (notification) => {
      stray.push(notification.params);
    });

    const result = await client.callTool({ name: "steps", arguments: {} });

    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe("token=none");
    expect(stray).toEqual([]);
  });
});

describe("ctx.progress without a client", () => {
  it("is a silent no-op for an in-process call", async () => {
    const mcp = new FastMCP({ name: "Progress" });
    open.push(mcp);
    mcp.tool({ name: "steps" }, async (_args, ctx) => {
      await ctx.progress(1, 2, "half");
      return "done";
    });

    expect(await mcp.callTool("steps")).toEqual({ content: [{ type: "text", text: "done" }] });
  });
});

function text(result: { content?: unknown }): string {
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}
