import type { Client } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Ask, ErrorCodes, FastMCP, McpkitError } from "../src/index.js";
import { connectClient } from "./helpers.js";

const MODES = ["legacy", "auto"] as const;
const ELICIT = { elicitation: { form: {} } };
const ALL = { elicitation: { form: {} }, sampling: {}, roots: { listChanged: true } };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function serve(mcp: FastMCP<any>, mode: (typeof MODES)[number], capabilities: Record<string, unknown> = ELICIT): Promise<Client> {
  const client = await connectClient(mcp, { mode, capabilities });
  open.push(mcp, client);
  return client;
}

function text(result: { content?: unknown }): string {
  const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}

/** Decode the (signed, not encrypted) payload of an mcpkit requestState. */
function statePayload(requestState: string): { p: { n: string; c: Record<string, unknown> } } {
  const body = requestState.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { p: { n: string; c: Record<string, unknown> } };
}

/** A `tools/call` retry carrying answers (manual multi-round-trip mode). */
function retry(name: string, inputResponses: Record<string, unknown>, requestState?: string) {
  return { name, arguments: {}, inputResponses, ...(requestState === undefined ? {} : { requestState }) } as never;
}

interface InputRequiredShape {
  resultType: "input_required";
  inputRequests: Record<string, { method: string; params: Record<string, unknown> }>;
  requestState: string;
}

describe.each(MODES)("ctx.elicit (%s client)", (mode) => {
  const era = mode === "legacy" ? "legacy" : "modern";

  it("returns typed data for a zod schema, and code after the await runs exactly once with the answer", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    let before = 0;
    let after = 0;
    const seen: unknown[] = [];
    mcp.tool({ name: "book" }, async (_args, ctx) => {
      before++;
      const answer = await ctx.elicit("How many seats?", z.object({ seats: z.number().int(), note: z.string().optional() }));
      after++;
      seen.push(answer);
      if (answer.action !== "accept") return answer.action;
      const seats: number = answer.data.seats;
      return `booked ${seats + 1} (${ctx.request.era})`;
    });
    const client = await serve(mcp, mode);
    const asked: unknown[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params);
      return { action: "accept", content: { seats: 2 } };
    });

    const result = await client.callTool({ name: "book", arguments: {} });

    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe(`booked 3 (${era})`);
    expect(seen).toEqual([{ action: "accept", data: { seats: 2 } }]);
    expect(after).toBe(1);
    // Legacy pushes a real request and the handler runs once; the modern era
    // answers input_required and runs the handler again on the client's retry.
    expect(before).toBe(era === "legacy" ? 1 : 2);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      mode: "form",
      message: "How many seats?",
      requestedSchema: { type: "object", properties: { seats: { type: "integer" } }, required: ["seats"] },
    });
  });

  it("accepts a raw JSON Schema and returns the answer's data", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    mcp.tool({ name: "color" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Favourite colour?", {
        type: "object",
        properties: { color: { type: "string", enum: ["red", "green"] } },
        required: ["color"],
      });
      return answer.action === "accept" ? `color=${String(answer.data.color)}` : answer.action;
    });
    const client = await serve(mcp, mode);
    let schema: unknown;
    client.setRequestHandler("elicitation/create", async (request) => {
      schema = (request.params as { requestedSchema?: unknown }).requestedSchema;
      return { action: "accept", content: { color: "green" } };
    });

    const result = await client.callTool({ name: "color", arguments: {} });

    expect(text(result)).toBe("color=green");
    expect(schema).toEqual({ type: "object", properties: { color: { type: "string", enum: ["red", "green"] } }, required: ["color"] });
  });

  it("asks an approve/deny question with an empty form when no schema is given", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    mcp.tool({ name: "confirm" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Delete everything?");
      return answer.action === "accept" ? `approved ${JSON.stringify(answer.data)}` : answer.action;
    });
    const client = await serve(mcp, mode);
    let schema: unknown;
    client.setRequestHandler("elicitation/create", async (request) => {
      schema = (request.params as { requestedSchema?: unknown }).requestedSchema;
      return { action: "accept", content: {} };
    });

    const result = await client.callTool({ name: "confirm", arguments: {} });

    expect(text(result)).toBe("approved {}");
    expect(schema).toEqual({ type: "object", properties: {} });
  });

  for (const action of ["decline", "cancel"] as const) {
    it(`returns { action: "${action}" } with no data when the user answers ${action}`, async () => {
      const mcp = new FastMCP({ name: "Elicit" });
      let after = 0;
      let answer: unknown;
      mcp.tool({ name: "ask" }, async (_args, ctx) => {
        answer = await ctx.elicit("Name?", z.object({ name: z.string() }));
        after++;
        return "done";
      });
      const client = await serve(mcp, mode);
      client.setRequestHandler("elicitation/create", async () => ({ action }));

      const result = await client.callTool({ name: "ask", arguments: {} });

      expect(result.isError).toBeFalsy();
      expect(answer).toEqual({ action });
      expect(after).toBe(1);
    });
  }

  it("fails the call with a clear isError result when the accepted answer does not match the schema", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    let after = 0;
    mcp.tool({ name: "book" }, async (_args, ctx) => {
      await ctx.elicit("How many seats?", z.object({ seats: z.number().int() }));
      after++;
      return "booked";
    });
    const client = await serve(mcp, mode);
    client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { seats: "two" } }));

    const result = await client.callTool({ name: "book", arguments: {} });

    expect(result.isError).toBe(true);
    expect(text(result)).toContain("does not match the requested schema");
    expect(text(result)).toContain("seats");
    expect(after).toBe(0);
  });

  it("refuses a schema that is not a flat object form, before asking the client", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      await ctx.elicit("Pick a number", z.number());
      return "done";
    });
    const client = await serve(mcp, mode);
    let asked = 0;
    client.setRequestHandler("elicitation/create", async () => {
      asked++;
      return { action: "cancel" };
    });

    const result = await client.callTool({ name: "ask", arguments: {} });

    expect(result.isError).toBe(true);
    expect(text(result)).toContain("must describe an object");
    expect(asked).toBe(0);
  });

  it("uses an explicit key and returns the answer the same way", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Name?", z.object({ name: z.string() }), { key: "user_name" });
      return answer.action === "accept" ? `hi ${answer.data.name}` : answer.action;
    });
    const client = await serve(mcp, mode);
    client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { name: "Ada" } }));

    expect(text(await client.callTool({ name: "ask", arguments: {} }))).toBe("hi Ada");
  });

  it("asks two questions in sequence and sees both answers", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    let runs = 0;
    let finished = 0;
    mcp.tool({ name: "two" }, async (_args, ctx) => {
      runs++;
      const first = await ctx.elicit("Name?", z.object({ name: z.string() }));
      const second = await ctx.elicit("Colour?", z.object({ color: z.string() }));
      finished++;
      const name = first.action === "accept" ? first.data.name : "?";
      const color = second.action === "accept" ? second.data.color : "?";
      return `${name} likes ${color}`;
    });
    const client = await serve(mcp, mode);
    const messages: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      const message = String((request.params as { message: string }).message);
      messages.push(message);
      return message === "Name?" ? { action: "accept", content: { name: "Ada" } } : { action: "accept", content: { color: "teal" } };
    });

    const result = await client.callTool({ name: "two", arguments: {} });

    expect(text(result)).toBe("Ada likes teal");
    expect(messages).toEqual(["Name?", "Colour?"]);
    expect(finished).toBe(1);
    expect(runs).toBe(era === "legacy" ? 1 : 3);
  });

  it("asks the client even when the handler wraps ctx.elicit in try/catch", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    const caught: unknown[] = [];
    mcp.tool({ name: "careful" }, async (_args, ctx) => {
      try {
        const answer = await ctx.elicit("Proceed?");
        return `answer=${answer.action}`;
      } catch (error) {
        caught.push(error);
        return "fallback";
      }
    });
    const client = await serve(mcp, mode);
    let asked = 0;
    client.setRequestHandler("elicitation/create", async () => {
      asked++;
      return { action: "accept", content: {} };
    });

    const result = await client.callTool({ name: "careful", arguments: {} });

    expect(text(result)).toBe("answer=accept");
    expect(asked).toBe(1);
  });

  it("asks the client even when a middleware turns errors into results", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    mcp.use({
      onCallTool: async (_m, next) => {
        try {
          return await next();
        } catch {
          return { content: [{ type: "text", text: "middleware swallowed it" }], isError: true };
        }
      },
    });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Name?", z.object({ name: z.string() }));
      return answer.action === "accept" ? `hi ${answer.data.name}` : answer.action;
    });
    const client = await serve(mcp, mode);
    client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { name: "Ada" } }));

    expect(text(await client.callTool({ name: "ask", arguments: {} }))).toBe("hi Ada");
  });

  it("elicits from a prompt handler too", async () => {
    const mcp = new FastMCP({ name: "Elicit" });
    mcp.prompt({ name: "greet" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Who?", z.object({ who: z.string() }));
      return `Greet ${answer.action === "accept" ? answer.data.who : "nobody"}`;
    });
    const client = await serve(mcp, mode);
    client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { who: "Grace" } }));

    const result = await client.getPrompt({ name: "greet" });

    expect(result.messages).toEqual([{ role: "user", content: { type: "text", text: "Greet Grace" } }]);
  });
});

describe.each(MODES)("ctx.gather (%s client)", (mode) => {
  it("asks for elicitation, sampling and roots and returns every answer by key", async () => {
    const mcp = new FastMCP({ name: "Gather" });
    let runs = 0;
    let after = 0;
    mcp.tool({ name: "all" }, async (_args, ctx) => {
      runs++;
      const { a, b, c } = await ctx.gather({
        a: Ask.elicit("Name?", z.object({ name: z.string() })),
        b: Ask.sample("Say hi", { maxTokens: 20 }),
        c: Ask.roots(),
      });
      after++;
      const name = a.action === "accept" ? a.data.name : "?";
      return `${name}|${b.text ?? "-"}|${c.map((r) => r.uri).join(",")}`;
    });
    const client = await serve(mcp, mode, ALL);
    const calls: string[] = [];
    client.setRequestHandler("elicitation/create", async () => {
      calls.push("elicit");
      return { action: "accept", content: { name: "Ada" } };
    });
    client.setRequestHandler("sampling/createMessage", async () => {
      calls.push("sample");
      return { model: "m", role: "assistant", content: { type: "text", text: "hi!" } };
    });
    client.setRequestHandler("roots/list", async () => {
      calls.push("roots");
      return { roots: [{ uri: "file:///work", name: "work" }] };
    });

    const result = await client.callTool({ name: "all", arguments: {} });

    expect(text(result)).toBe("Ada|hi!|file:///work");
    expect(after).toBe(1);
    expect([...calls].sort()).toEqual(["elicit", "roots", "sample"]);
    if (mode === "legacy") {
      // One real request after another, in declaration order, in a single run.
      expect(calls).toEqual(["elicit", "sample", "roots"]);
      expect(runs).toBe(1);
    } else {
      // All three in one input_required round: one first run, one retry.
      expect(runs).toBe(2);
    }
  });
});

describe.each(MODES)("questions asked in parallel (%s client)", (mode) => {
  it("Promise.all over ctx.elicit and ctx.listRoots gets both answers, in one round in the modern era", async () => {
    const mcp = new FastMCP({ name: "Parallel" });
    let runs = 0;
    mcp.tool({ name: "both" }, async (_args, ctx) => {
      runs++;
      const [answer, roots] = await Promise.all([ctx.elicit("Name?", z.object({ name: z.string() })), ctx.listRoots()]);
      return `${answer.action === "accept" ? answer.data.name : "?"}|${roots.length}`;
    });
    const client = await serve(mcp, mode, ALL);
    const calls: string[] = [];
    client.setRequestHandler("elicitation/create", async () => {
      calls.push("elicit");
      return { action: "accept", content: { name: "Ada" } };
    });
    client.setRequestHandler("roots/list", async () => {
      calls.push("roots");
      return { roots: [{ uri: "file:///a" }] };
    });

    expect(text(await client.callTool({ name: "both", arguments: {} }))).toBe("Ada|1");
    expect([...calls].sort()).toEqual(["elicit", "roots"]);
    expect(runs).toBe(mode === "legacy" ? 1 : 2);
  });
});

describe("the modern era's multi-round trips", () => {
  it("puts every question of ctx.gather into one input_required result", async () => {
    const mcp = new FastMCP({ name: "Gather" });
    mcp.tool({ name: "all" }, async (_args, ctx) => {
      const { a, b, c } = await ctx.gather({
        a: Ask.elicit("Name?", z.object({ name: z.string() })),
        b: Ask.sample("Say hi"),
        c: Ask.roots(),
      });
      return `${a.action}|${b.text ?? "-"}|${c.length}`;
    });
    const client = await serve(mcp, "auto", ALL);

    const first = (await client.callTool({ name: "all", arguments: {} }, { allowInputRequired: true })) as unknown as InputRequiredShape;

    expect(first.resultType).toBe("input_required");
    expect(Object.keys(first.inputRequests).sort()).toEqual(["a", "b", "c"]);
    expect(first.inputRequests.a?.method).toBe("elicitation/create");
    expect(first.inputRequests.b?.method).toBe("sampling/createMessage");
    expect(first.inputRequests.c?.method).toBe("roots/list");

    const done = await client.callTool(
      retry(
        "all",
        {
          a: { action: "decline" },
          b: { model: "m", role: "assistant", content: { type: "text", text: "yo" } },
          c: { roots: [{ uri: "file:///a" }, { uri: "file:///b" }] },
        },
        first.requestState,
      ),
      { allowInputRequired: true },
    );
    expect(text(done)).toBe("decline|yo|2");
  });

  it("uses the explicit key as the inputRequests key", async () => {
    const mcp = new FastMCP({ name: "Keys" });
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      const answer = await ctx.elicit("Name?", z.object({ name: z.string() }), { key: "user_name" });
      return answer.action === "accept" ? `hi ${answer.data.name}` : answer.action;
    });
    const client = await serve(mcp, "auto");

    const first = (await client.callTool({ name: "ask", arguments: {} }, { allowInputRequired: true })) as unknown as InputRequiredShape;
    expect(Object.keys(first.inputRequests)).toEqual(["user_name"]);

    const done = await client.callTool(retry("ask", { user_name: { action: "accept", content: { name: "Ada" } } }, first.requestState), {
      allowInputRequired: true,
    });
    expect(text(done)).toBe("hi Ada");
  });

  it("keys unnamed questions by call order, so each round asks only the next question", async () => {
    const mcp = new FastMCP({ name: "Order" });
    mcp.tool({ name: "two" }, async (_args, ctx) => {
      const first = await ctx.elicit("One?");
      const second = await ctx.listRoots();
      return `${first.action}|${second.length}`;
    });
    const client = await serve(mcp, "auto", ALL);

    const r1 = (await client.callTool({ name: "two", arguments: {} }, { allowInputRequired: true })) as unknown as InputRequiredShape;
    const [k1] = Object.keys(r1.inputRequests);
    const r2 = (await client.callTool(retry("two", { [k1 as string]: { action: "accept", content: {} } }, r1.requestState), {
      allowInputRequired: true,
    })) as unknown as InputRequiredShape;
    const [k2] = Object.keys(r2.inputRequests);

    expect(k1).not.toBe(k2);
    expect(r2.inputRequests[k2 as string]?.method).toBe("roots/list");
    const done = await client.callTool(retry("two", { [k2 as string]: { roots: [] } }, r2.requestState), { allowInputRequired: true });
    expect(text(done)).toBe("accept|0");
  });

  it("carries the first answer in the signed requestState while asking the second question", async () => {
    const mcp = new FastMCP({ name: "Rounds" });
    let runs = 0;
    let finished = 0;
    mcp.tool({ name: "two" }, async (_args, ctx) => {
      runs++;
      const first = await ctx.elicit("Name?", z.object({ name: z.string() }), { key: "step1" });
      const second = await ctx.elicit("Colour?", z.object({ color: z.string() }), { key: "step2" });
      finished++;
      const name = first.action === "accept" ? first.data.name : "?";
      const color = second.action === "accept" ? second.data.color : "?";
      return `${name} likes ${color}`;
    });
    const client = await serve(mcp, "auto");

    const r1 = (await client.callTool({ name: "two", arguments: {} }, { allowInputRequired: true })) as unknown as InputRequiredShape;
    expect(Object.keys(r1.inputRequests)).toEqual(["step1"]);
    expect(statePayload(r1.requestState).p.c).toEqual({});

    const r2 = (await client.callTool(retry("two", { step1: { action: "accept", content: { name: "Ada" } } }, r1.requestState), {
      allowInputRequired: true,
    })) as unknown as InputRequiredShape;
    expect(Object.keys(r2.inputRequests)).toEqual(["step2"]);
    expect(statePayload(r2.requestState).p.c).toEqual({ step1: { action: "accept", content: { name: "Ada" } } });

    // The last retry sends only the newest answer; the first comes from the requestState.
    const done = await client.callTool(retry("two", { step2: { action: "accept", content: { color: "teal" } } }, r2.requestState), {
      allowInputRequired: true,
    });
    expect(text(done)).toBe("Ada likes teal");
    expect(runs).toBe(3);
    expect(finished).toBe(1);
  });

  it("asks the earlier question again when a retry drops the requestState", async () => {
    const mcp = new FastMCP({ name: "Rounds" });
    mcp.tool({ name: "two" }, async (_args, ctx) => {
      await ctx.elicit("Name?", undefined, { key: "step1" });
      await ctx.elicit("Colour?", undefined, { key: "step2" });
      return "done";
    });
    const client = await serve(mcp, "auto");

    const again = (await client.callTool(retry("two", { step2: { action: "accept", content: {} } }), {
      allowInputRequired: true,
    })) as unknown as InputRequiredShape;

    expect(again.resultType).toBe("input_required");
    expect(Object.keys(again.inputRequests)).toEqual(["step1"]);
  });

  it("lets the SDK client run both rounds itself, invoking its handler once per question", async () => {
    const mcp = new FastMCP({ name: "Rounds" });
    mcp.tool({ name: "two" }, async (_args, ctx) => {
      const first = await ctx.elicit("Name?", z.object({ name: z.string() }));
      const second = await ctx.elicit("Colour?", z.object({ color: z.string() }));
      return `${first.action}/${second.action}`;
    });
    const client = await serve(mcp, "auto");
    let asked = 0;
    client.setRequestHandler("elicitation/create", async () => {
      asked++;
      return { action: "decline" };
    });

    expect(text(await client.callTool({ name: "two", arguments: {} }))).toBe("decline/decline");
    expect(asked).toBe(2);
  });
});

describe("missing client capabilities", () => {
  const cases = [
    { kind: "elicitation", method: "elicitation/create", run: (ctx: Parameters<Parameters<FastMCP["tool"]>[1]>[1]) => ctx.elicit("Name?") },
    { kind: "sampling", method: "sampling/createMessage", run: (ctx: Parameters<Parameters<FastMCP["tool"]>[1]>[1]) => ctx.sample("Hi") },
    { kind: "roots", method: "roots/list", run: (ctx: Parameters<Parameters<FastMCP["tool"]>[1]>[1]) => ctx.listRoots() },
  ] as const;

  for (const { kind, method, run } of cases) {
    it(`a legacy client without '${kind}' gets an isError result naming the capability`, async () => {
      const mcp = new FastMCP({ name: "Caps" });
      let after = 0;
      mcp.tool({ name: "needs" }, async (_args, ctx) => {
        await run(ctx);
        after++;
        return "done";
      });
      const client = await serve(mcp, "legacy", {});

      const result = await client.callTool({ name: "needs", arguments: {} });

      expect(result.isError).toBe(true);
      expect(text(result)).toBe(`The client did not declare the '${kind}' capability`);
      expect(after).toBe(0);
    });

    it(`a modern client without '${kind}' gets JSON-RPC -32021 naming ${method}`, async () => {
      const mcp = new FastMCP({ name: "Caps" });
      mcp.tool({ name: "needs" }, async (_args, ctx) => {
        await run(ctx);
        return "done";
      });
      const client = await serve(mcp, "auto", {});

      const failure = await client.callTool({ name: "needs", arguments: {} }).then(
        () => undefined,
        (error: unknown) => error as { code?: unknown; message?: string; data?: unknown },
      );

      expect(failure?.code).toBe(-32021);
      expect(failure?.message).toContain(method);
      expect(Object.keys((failure?.data as { requiredCapabilities: object }).requiredCapabilities)).toEqual([kind]);
    });
  }

  for (const mode of MODES) {
    it(`a prompt that needs a capability the ${mode} client lacks fails with -32021 listing it in requiredCapabilities`, async () => {
      const mcp = new FastMCP({ name: "Caps" });
      mcp.prompt({ name: "needs" }, async (_args, ctx) => {
        await ctx.listRoots();
        return "x";
      });
      const client = await serve(mcp, mode, {});

      const failure = await client.getPrompt({ name: "needs" }).then(
        () => undefined,
        (error: unknown) => error as { code?: unknown; message?: string; data?: unknown },
      );

      expect(failure?.code).toBe(-32021);
      expect(failure?.message).toContain("roots");
      expect(Object.keys((failure?.data as { requiredCapabilities: object }).requiredCapabilities)).toEqual(["roots"]);
    });
  }

  it("a legacy client with only some capabilities answers what it can before the missing one fails", async () => {
    const mcp = new FastMCP({ name: "Caps" });
    mcp.tool({ name: "both" }, async (_args, ctx) => {
      await ctx.gather({ a: Ask.elicit("Name?"), b: Ask.roots() });
      return "done";
    });
    const client = await serve(mcp, "legacy", ELICIT);
    let asked = 0;
    client.setRequestHandler("elicitation/create", async () => {
      asked++;
      return { action: "accept", content: {} };
    });

    const result = await client.callTool({ name: "both", arguments: {} });

    expect(result.isError).toBe(true);
    expect(text(result)).toContain("'roots'");
    expect(asked).toBe(1);
  });
});

describe("asking without a client", () => {
  it("an in-process mcp.callTool to a tool that elicits fails with MCPKIT_NO_CLIENT_CHANNEL", async () => {
    const mcp = new FastMCP({ name: "Local" });
    open.push(mcp);
    const codes: unknown[] = [];
    mcp.tool({ name: "ask" }, async (_args, ctx) => {
      await ctx.elicit("Name?");
      return "done";
    });
    mcp.tool({ name: "probe" }, async (_args, ctx) => {
      try {
        await ctx.elicit("Name?");
      } catch (error) {
        codes.push(error instanceof McpkitError ? error.code : error);
      }
      return "probed";
    });

    const result = await mcp.callTool("ask");
    await mcp.callTool("probe");

    expect(result.isError).toBe(true);
    expect(text(result)).toContain("did not come from a client");
    expect(text(result)).toContain("in-process");
    expect(codes).toEqual([ErrorCodes.NO_CLIENT_CHANNEL]);
  });

  it("ctx.sample, ctx.listRoots and ctx.gather fail the same way in process", async () => {
    const mcp = new FastMCP({ name: "Local" });
    open.push(mcp);
    const codes: unknown[] = [];
    mcp.tool({ name: "probe" }, async (_args, ctx) => {
      for (const attempt of [() => ctx.sample("hi"), () => ctx.listRoots(), () => ctx.gather({ r: Ask.roots() })]) {
        try {
          await attempt();
        } catch (error) {
          codes.push(error instanceof McpkitError ? error.code : error);
        }
      }
      return "probed";
    });

    await mcp.callTool("probe");

    expect(codes).toEqual([ErrorCodes.NO_CLIENT_CHANNEL, ErrorCodes.NO_CLIENT_CHANNEL, ErrorCodes.NO_CLIENT_CHANNEL]);
  });
});
