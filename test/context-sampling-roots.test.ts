import type { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { FastMCP, type Root } from "../src/index.js";
import { connectClient } from "./helpers.js";

const MODES = ["legacy", "auto"] as const;
const CAPS = { sampling: {}, roots: { listChanged: true } };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function serve(mcp: FastMCP<any>, mode: (typeof MODES)[number]): Promise<Client> {
  const client = await connectClient(mcp, { mode, capabilities: CAPS });
  open.push(mcp, client);
  return client;
}

function text(result: { content?: unknown }): string {
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}

describe.each(MODES)("ctx.sample (%s client)", (mode) => {
  it("returns the text of the model's reply and the full result", async () => {
    const mcp = new FastMCP({ name: "Sample" });
    let after = 0;
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const reply = await ctx.sample("What is 2+2?");
      after++;
      return `${reply.text ?? "-"} from ${reply.result.model}`;
    });
    const client = await serve(mcp, mode);
    const params: Record<string, unknown>[] = [];
    client.setRequestHandler("sampling/createMessage", async (request) => {
      params.push(request.params as Record<string, unknown>);
      return { model: "test-model", role: "assistant", content: { type: "text", text: "4" }, stopReason: "endTurn" };
    });

    const result = await client.callTool({ name: "ask", arguments: {} });

    expect(text(result)).toBe("4 from test-model");
    expect(after).toBe(1);
    expect(params).toHaveLength(1);
    expect(params[0]).toMatchObject({
      messages: [{ role: "user", content: { type: "text", text: "What is 2+2?" } }],
      maxTokens: 512,
    });
  });

  it("passes systemPrompt, maxTokens, temperature, stopSequences and a model-name shorthand to the client", async () => {
    const mcp = new FastMCP({ name: "Sample" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const reply = await ctx.sample("Write a haiku", {
        systemPrompt: "You are a poet.",
        maxTokens: 64,
        temperature: 0.2,
        stopSequences: ["\n\n"],
        modelPreferences: "claude-haiku",
      });
      return reply.text ?? "-";
    });
    const client = await serve(mcp, mode);
    let params: Record<string, unknown> | undefined;
    client.setRequestHandler("sampling/createMessage", async (request) => {
      params = request.params as Record<string, unknown>;
      return { model: "m", role: "assistant", content: { type: "text", text: "autumn moon" } };
    });

    expect(text(await client.callTool({ name: "ask", arguments: {} }))).toBe("autumn moon");
    expect(params).toMatchObject({
      systemPrompt: "You are a poet.",
      maxTokens: 64,
      temperature: 0.2,
      stopSequences: ["\n\n"],
      modelPreferences: { hints: [{ name: "claude-haiku" }] },
    });
  });

  it("turns a list of model names into ordered hints and passes full preferences through", async () => {
    const mcp = new FastMCP({ name: "Sample" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      await ctx.sample("a", { modelPreferences: ["small", "large"] });
      await ctx.sample("b", { modelPreferences: { hints: [{ name: "x" }], speedPriority: 0.9 } });
      return "ok";
    });
    const client = await serve(mcp, mode);
    const prefs: unknown[] = [];
    client.setRequestHandler("sampling/createMessage", async (request) => {
      prefs.push((request.params as { modelPreferences?: unknown }).modelPreferences);
      return { model: "m", role: "assistant", content: { type: "text", text: "ok" } };
    });

    await client.callTool({ name: "ask", arguments: {} });

    expect(prefs).toEqual([{ hints: [{ name: "small" }, { name: "large" }] }, { hints: [{ name: "x" }], speedPriority: 0.9 }]);
  });

  it("sends a conversation given as messages unchanged", async () => {
    const mcp = new FastMCP({ name: "Sample" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const reply = await ctx.sample([
        { role: "user", content: { type: "text", text: "Hi" } },
        { role: "assistant", content: { type: "text", text: "Hello" } },
        { role: "user", content: { type: "text", text: "Bye?" } },
      ]);
      return reply.text ?? "-";
    });
    const client = await serve(mcp, mode);
    let messages: unknown;
    client.setRequestHandler("sampling/createMessage", async (request) => {
      messages = (request.params as { messages: unknown }).messages;
      return { model: "m", role: "assistant", content: { type: "text", text: "Bye" } };
    });

    expect(text(await client.callTool({ name: "ask", arguments: {} }))).toBe("Bye");
    expect(messages).toEqual([
      { role: "user", content: { type: "text", text: "Hi" } },
      { role: "assistant", content: { type: "text", text: "Hello" } },
      { role: "user", content: { type: "text", text: "Bye?" } },
    ]);
  });

  it("gives text undefined when the reply is not text, and keeps the full result", async () => {
    const mcp = new FastMCP({ name: "Sample" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const reply = await ctx.sample("Draw");
      return `${String(reply.text)}|${JSON.stringify(reply.result.content)}`;
    });
    const client = await serve(mcp, mode);
    client.setRequestHandler("sampling/createMessage", async () => ({
      model: "m",
      role: "assistant",
      content: { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
    }));

    expect(text(await client.callTool({ name: "ask", arguments: {} }))).toBe(
      `undefined|${JSON.stringify({ type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" })}`,
    );
  });
});

describe.each(MODES)("ctx.listRoots (%s client)", (mode) => {
  it("returns the client's roots", async () => {
    const mcp = new FastMCP({ name: "Roots" });
    let roots: Root[] = [];
    let runsAfter = 0;
    mcp.tool({ name: "where" }, async (_args, ctx) => {
      roots = await ctx.listRoots();
      runsAfter++;
      return roots.map((r) => r.uri).join(",");
    });
    const client = await serve(mcp, mode);
    let asked = 0;
    client.setRequestHandler("roots/list", async () => {
      asked++;
      return { roots: [{ uri: "file:///home/ada/project", name: "project" }, { uri: "file:///tmp" }] };
    });

    const result = await client.callTool({ name: "where", arguments: {} });

    expect(text(result)).toBe("file:///home/ada/project,file:///tmp");
    expect(roots).toEqual([{ uri: "file:///home/ada/project", name: "project" }, { uri: "file:///tmp" }]);
    expect(asked).toBe(1);
    expect(runsAfter).toBe(1);
  });

  it("returns an empty list when the client exposes no roots", async () => {
    const mcp = new FastMCP({ name: "Roots" });
    mcp.tool({ name: "where" }, async (_args, ctx) => `${(await ctx.listRoots()).length} roots`);
    const client = await serve(mcp, mode);
    client.setRequestHandler("roots/list", async () => ({ roots: [] }));

    expect(text(await client.callTool({ name: "where", arguments: {} }))).toBe("0 roots");
  });

  it("reads roots from a resource handler", async () => {
    const mcp = new FastMCP({ name: "Roots" });
    mcp.resource("roots://count", async (_params, ctx) => `${(await ctx.listRoots()).length}`);
    const client = await serve(mcp, mode);
    client.setRequestHandler("roots/list", async () => ({ roots: [{ uri: "file:///a" }, { uri: "file:///b" }] }));

    const result = await client.readResource({ uri: "roots://count" });

    expect(result.contents).toEqual([expect.objectContaining({ uri: "roots://count", text: "2" })]);
  });
});
