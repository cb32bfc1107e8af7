import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { shapeProblem, STDIO_MAX_LINE_BYTES, StdioTransport } from "./stdio-transport.js";
import type { JSONRPCMessage } from "./wire.js";

interface Harness {
  readonly transport: StdioTransport;
  readonly input: PassThrough;
  readonly output: PassThrough;
  readonly messages: JSONRPCMessage[];
  readonly errors: Error[];
  readonly closes: () => number;
}

const opened: StdioTransport[] = [];
afterEach(async () => {
  for (const transport of opened.splice(0)) await transport.close();
});

/** A started transport over two pipes, recording what it delivers, reports and whether it closed. */
async function harness(): Promise<Harness> {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new StdioTransport({ input, output });
  const messages: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  let closed = 0;
  transport.onmessage = (message) => messages.push(message);
  transport.onerror = (error) => errors.push(error);
  transport.onclose = () => closed++;
  opened.push(transport);
  await transport.start();
  return { transport, input, output, messages, errors, closes: () => closed };
}

/**
 * Write chunks one at a time and let the stream deliver each before the next,
 * so every chunk reaches the transport as its own `data` event.
 */
async function feed(input: PassThrough, ...chunks: (string | Buffer)[]): Promise<void> {
  for (const chunk of chunks) {
    input.write(chunk);
    await settle();
  }
}

/** Let queued stream events run (PassThrough emits `data` on a later tick). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const line = (message: unknown): string => `${JSON.stringify(message)}\n`;

const ping = (id: number | string): JSONRPCMessage => ({ jsonrpc: "2.0", id, method: "ping" }) as JSONRPCMessage;

describe("StdioTransport framing", () => {
  it("delivers a message that arrives one byte at a time", async () => {
    const h = await harness();
    const message = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } };
    const bytes = Buffer.from(line(message), "utf8");
    await feed(h.input, ...[...bytes].map((b) => Buffer.from([b])));
    expect(h.messages).toEqual([message]);
    expect(h.errors).toEqual([]);
  });

  it("reassembles a multi-byte UTF-8 character split across chunks", async () => {
    const h = await harness();
    // "é" is two bytes, "😀" four: each is cut in the middle so a per-chunk decode would corrupt it.
    const message = { jsonrpc: "2.0", id: "é", method: "echo", params: { text: "café 😀" } };
    const bytes = Buffer.from(line(message), "utf8");
    const emoji = bytes.indexOf(Buffer.from("😀", "utf8"));
    const accent = bytes.indexOf(Buffer.from("é", "utf8"));
    await feed(h.input, bytes.subarray(0, accent + 1), bytes.subarray(accent + 1, emoji + 2), bytes.subarray(emoji + 2, emoji + 3), bytes.subarray(emoji + 3));
    expect(h.messages).toEqual([message]);
    expect(h.errors).toEqual([]);
  });

  it("delivers several messages that arrive in one chunk, in order", async () => {
    const h = await harness();
    await feed(h.input, line(ping(1)) + line(ping(2)) + line({ jsonrpc: "2.0", method: "notifications/initialized" }));
    expect(h.messages).toEqual([ping(1), ping(2), { jsonrpc: "2.0", method: "notifications/initialized" }]);
  });

  it("keeps the unfinished tail of a chunk for the next one", async () => {
    const h = await harness();
    const second = line(ping(2));
    await feed(h.input, line(ping(1)) + second.slice(0, 7));
    expect(h.messages).toEqual([ping(1)]);
    await feed(h.input, second.slice(7));
    expect(h.messages).toEqual([ping(1), ping(2)]);
  });

  it("accepts CRLF line endings, including a CR and LF that arrive in different chunks", async () => {
    const h = await harness();
    await feed(h.input, `${JSON.stringify(ping(1))}\r\n${JSON.stringify(ping(2))}\r`, "\n");
    expect(h.messages).toEqual([ping(1), ping(2)]);
    expect(h.errors).toEqual([]);
  });

  it("skips blank and whitespace-only lines without reporting them", async () => {
    const h = await harness();
    await feed(h.input, "\n\n  \t \n\r\n", line(ping(1)), "\n");
    expect(h.messages).toEqual([ping(1)]);
    expect(h.errors).toEqual([]);
  });

  it("accepts strings as well as buffers from the input stream", async () => {
    const h = await harness();
    h.input.setEncoding("utf8");
    await feed(h.input, line({ jsonrpc: "2.0", id: 1, method: "echo", params: { text: "ünïcode" } }));
    expect(h.messages).toEqual([{ jsonrpc: "2.0", id: 1, method: "echo", params: { text: "ünïcode" } }]);
  });
});

describe("StdioTransport with bad input", () => {
  it("skips a line that is not JSON silently and delivers the next message", async () => {
    const h = await harness();
    await feed(h.input, "this is not json\n", "{\"jsonrpc\":\"2.0\",\n", line(ping(1)));
    expect(h.messages).toEqual([ping(1)]);
    expect(h.errors).toEqual([]);
  });

  it.each([
    ["an array (a batch)", [ping(1)], /not an object/],
    ["a string", "hello", /not an object/],
    ["null", null, /not an object/],
    ["a wrong jsonrpc version", { jsonrpc: "1.0", id: 1, method: "ping" }, /jsonrpc must be "2.0"/],
    ["no jsonrpc member", { id: 1, method: "ping" }, /jsonrpc must be "2.0"/],
    ["an object id", { jsonrpc: "2.0", id: { n: 1 }, method: "ping" }, /id must be a string or an integer/],
    ["a fractional id", { jsonrpc: "2.0", id: 1.5, method: "ping" }, /id must be a string or an integer/],
    ["a null id on a request", { jsonrpc: "2.0", id: null, method: "ping" }, /id must be a string or an integer/],
    ["params that are an array", { jsonrpc: "2.0", id: 1, method: "tools/call", params: ["echo"] }, /params must be an object/],
    ["params that are a string", { jsonrpc: "2.0", method: "notifications/x", params: "x" }, /params must be an object/],
    ["a response without result or error", { jsonrpc: "2.0", id: 1 }, /a response needs a result or an error/],
    ["neither a method nor an id", { jsonrpc: "2.0" }, /a message needs a method or an id/],
  ])("reports %s through onerror and keeps reading", async (_what, value, problem) => {
    const h = await harness();
    await feed(h.input, line(value), line(ping(2)));
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]?.message).toMatch(/^Invalid JSON-RPC message on stdin: /);
    expect(h.errors[0]?.message).toMatch(problem);
    expect(h.messages).toEqual([ping(2)]);
    expect(h.closes()).toBe(0);
  });

  it("reports an exception thrown by onmessage through onerror and keeps reading", async () => {
    const h = await harness();
    const delivered: JSONRPCMessage[] = [];
    h.transport.onmessage = (message) => {
      delivered.push(message);
      if ((message as { id?: unknown }).id === 1) throw new Error("handler broke");
    };
    await feed(h.input, line(ping(1)) + line(ping(2)));
    expect(delivered).toEqual([ping(1), ping(2)]);
    expect(h.errors.map((e) => e.message)).toEqual(["handler broke"]);
  });

  it("drops a line longer than STDIO_MAX_LINE_BYTES with one error and delivers the next message", async () => {
    const h = await harness();
    // 1 MiB pieces, no newline among them: the line outgrows the limit while it is still being read.
    const piece = Buffer.alloc(1024 * 1024, "x");
    const pieces = Math.ceil(STDIO_MAX_LINE_BYTES / piece.length) + 1;
    for (let i = 0; i < pieces; i++) await feed(h.input, piece);
    await feed(h.input, `still the same line\n${line(ping(2))}`);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]?.message).toMatch(new RegExp(`exceeded ${STDIO_MAX_LINE_BYTES} bytes`));
    expect(h.messages).toEqual([ping(2)]);
    expect(h.closes()).toBe(0);
  });

  it("drops a line one byte over the limit even when its last byte arrives with the newline", async () => {
    const h = await harness();
    // A valid message padded to exactly limit + 1 bytes, so delivering it would be observable.
    const head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"";
    const tail = "\"}}";
    const pad = STDIO_MAX_LINE_BYTES + 1 - head.length - tail.length;
    const text = `${head}${"x".repeat(pad)}${tail}`;
    expect(Buffer.byteLength(text)).toBe(STDIO_MAX_LINE_BYTES + 1);
    await feed(h.input, text.slice(0, -1), `${text.slice(-1)}\n${line(ping(2))}`);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]?.message).toMatch(/exceeded/);
    expect(h.messages).toEqual([ping(2)]);
  });

  it("drops an over-long line that arrives whole, newline included, in one chunk", async () => {
    const h = await harness();
    const head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"";
    const text = `${head}${"x".repeat(STDIO_MAX_LINE_BYTES)}"}}`;
    await feed(h.input, `${text}\n${line(ping(2))}`);
    expect(h.errors).toHaveLength(1);
    expect(h.messages).toEqual([ping(2)]);
  });

  it("delivers a line of exactly STDIO_MAX_LINE_BYTES", async () => {
    const h = await harness();
    const head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"";
    const tail = "\"}}";
    const text = `${head}${"x".repeat(STDIO_MAX_LINE_BYTES - head.length - tail.length)}${tail}`;
    expect(Buffer.byteLength(text)).toBe(STDIO_MAX_LINE_BYTES);
    await feed(h.input, text.slice(0, 1000), text.slice(1000), "\n");
    expect(h.errors).toEqual([]);
    expect(h.messages).toHaveLength(1);
    expect((h.messages[0] as { id?: unknown }).id).toBe(1);
  });

  it("reports an error from the input stream through onerror", async () => {
    const h = await harness();
    h.input.emit("error", new Error("read failed"));
    await settle();
    expect(h.errors.map((e) => e.message)).toEqual(["read failed"]);
  });
});

describe("StdioTransport sending", () => {
  it("writes exactly one line of JSON per message and resolves", async () => {
    const h = await harness();
    const written: Buffer[] = [];
    h.output.on("data", (chunk: Buffer) => written.push(chunk));
    const message = { jsonrpc: "2.0", id: 3, result: { content: [{ type: "text", text: "a\nb é" }] } } as JSONRPCMessage;
    await expect(h.transport.send(message)).resolves.toBeUndefined();
    await settle();
    const text = Buffer.concat(written).toString("utf8");
    // A newline inside a string is escaped by JSON, so the only raw newline is the frame's.
    expect(text.split("\n")).toEqual([JSON.stringify(message), ""]);
    expect(JSON.parse(text)).toEqual(message);
  });

  it("writes messages in the order they were sent", async () => {
    const h = await harness();
    const written: Buffer[] = [];
    h.output.on("data", (chunk: Buffer) => written.push(chunk));
    await Promise.all([1, 2, 3].map((id) => h.transport.send(ping(id))));
    await settle();
    expect(Buffer.concat(written).toString("utf8")).toBe(line(ping(1)) + line(ping(2)) + line(ping(3)));
  });

  it("rejects a send after close", async () => {
    const h = await harness();
    await h.transport.close();
    await expect(h.transport.send(ping(1))).rejects.toThrow(/closed/);
  });

  it("reports an output error once and closes", async () => {
    const h = await harness();
    h.output.emit("error", new Error("EPIPE"));
    await settle();
    expect(h.errors.map((e) => e.message)).toEqual(["EPIPE"]);
    expect(h.closes()).toBe(1);
  });
});

describe("StdioTransport lifecycle", () => {
  it("refuses to start twice", async () => {
    const h = await harness();
    await expect(h.transport.start()).rejects.toThrow(/already started/);
  });

  it("closes when the input ends, calling onclose once", async () => {
    const h = await harness();
    await feed(h.input, line(ping(1)));
    h.input.end();
    // `end` and then `close` both fire on the input; the transport must close only once.
    await settle();
    await settle();
    expect(h.messages).toEqual([ping(1)]);
    expect(h.closes()).toBe(1);
    await h.transport.close();
    expect(h.closes()).toBe(1);
  });

  it("closes when started on an input that has already ended", async () => {
    const input = new PassThrough();
    input.resume();
    input.end();
    await settle();
    expect(input.readableEnded).toBe(true);
    const transport = new StdioTransport({ input, output: new PassThrough() });
    let closed = 0;
    transport.onclose = () => closed++;
    opened.push(transport);
    await transport.start();
    await settle();
    expect(closed).toBe(1);
  });

  it("stops delivering after close(), even what was already buffered", async () => {
    const h = await harness();
    await feed(h.input, line(ping(1)), JSON.stringify(ping(2)).slice(0, 10));
    await h.transport.close();
    expect(h.closes()).toBe(1);
    await feed(h.input, `${JSON.stringify(ping(2)).slice(10)}\n`, line(ping(3)));
    expect(h.messages).toEqual([ping(1)]);
  });

  it("stops delivering the rest of a chunk when onmessage closes the transport", async () => {
    const h = await harness();
    h.transport.onmessage = (message) => {
      h.messages.push(message);
      void h.transport.close();
    };
    await feed(h.input, line(ping(1)) + line(ping(2)));
    expect(h.messages).toEqual([ping(1)]);
  });

  it("close() is idempotent", async () => {
    const h = await harness();
    await h.transport.close();
    await h.transport.close();
    expect(h.closes()).toBe(1);
  });
});

describe("shapeProblem", () => {
  it.each([
    ["a request", { jsonrpc: "2.0", id: 1, method: "tools/list" }],
    ["a request with a string id and params", { jsonrpc: "2.0", id: "a-1", method: "tools/call", params: { name: "x" } }],
    ["a request with id 0", { jsonrpc: "2.0", id: 0, method: "ping" }],
    ["a request with a negative id", { jsonrpc: "2.0", id: -4, method: "ping" }],
    ["a request with empty params", { jsonrpc: "2.0", id: 1, method: "ping", params: {} }],
    ["a notification", { jsonrpc: "2.0", method: "notifications/initialized" }],
    ["a notification with params", { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } }],
    ["a result", { jsonrpc: "2.0", id: 1, result: {} }],
    ["a result with content", { jsonrpc: "2.0", id: "x", result: { content: [] } }],
    ["an error", { jsonrpc: "2.0", id: 1, error: { code: -32601, message: "Method not found" } }],
    ["an error with data", { jsonrpc: "2.0", id: 1, error: { code: -32602, message: "bad", data: { uri: "x://" } } }],
    ["an error with id null", { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }],
  ])("accepts %s", (_what, value) => {
    expect(shapeProblem(value)).toBeUndefined();
  });

  it.each([
    ["an array", [], "not an object"],
    ["null", null, "not an object"],
    ["a number", 42, "not an object"],
    ["a string", "{}", "not an object"],
    ["jsonrpc 1.0", { jsonrpc: "1.0", id: 1, method: "ping" }, "jsonrpc must be \"2.0\""],
    ["jsonrpc as a number", { jsonrpc: 2, id: 1, method: "ping" }, "jsonrpc must be \"2.0\""],
    ["a boolean id", { jsonrpc: "2.0", id: true, method: "ping" }, "id must be a string or an integer"],
    ["a fractional id", { jsonrpc: "2.0", id: 0.5, method: "ping" }, "id must be a string or an integer"],
    ["an array id", { jsonrpc: "2.0", id: [1], method: "ping" }, "id must be a string or an integer"],
    ["a null id on a request", { jsonrpc: "2.0", id: null, method: "ping" }, "id must be a string or an integer"],
    ["a null id on a result", { jsonrpc: "2.0", id: null, result: {} }, "id must be a string or an integer"],
    ["array params", { jsonrpc: "2.0", id: 1, method: "ping", params: [] }, "params must be an object"],
    ["null params", { jsonrpc: "2.0", method: "notifications/x", params: null }, "params must be an object"],
    ["numeric params", { jsonrpc: "2.0", id: 1, method: "ping", params: 1 }, "params must be an object"],
    ["no method and no id", { jsonrpc: "2.0", result: {} }, "a message needs a method or an id"],
    ["a response with neither result nor error", { jsonrpc: "2.0", id: 1 }, "a response needs a result or an error"],
    ["a non-string method, read as a response", { jsonrpc: "2.0", id: 1, method: 7 }, "a response needs a result or an error"],
    ["an array result", { jsonrpc: "2.0", id: 1, result: [] }, "result must be an object"],
    ["a null result", { jsonrpc: "2.0", id: 1, result: null }, "result must be an object"],
    ["a string result", { jsonrpc: "2.0", id: 1, result: "ok" }, "result must be an object"],
    ["an error without a message", { jsonrpc: "2.0", id: 1, error: { code: -32600 } }, "error needs a numeric code and a message"],
    ["an error with a string code", { jsonrpc: "2.0", id: 1, error: { code: "-32600", message: "x" } }, "error needs a numeric code and a message"],
    ["a null error", { jsonrpc: "2.0", id: 1, error: null }, "error needs a numeric code and a message"],
    ["an error with id null and no message", { jsonrpc: "2.0", id: null, error: { code: -32700 } }, "error needs a numeric code and a message"],
  ])("rejects %s", (_what, value, problem) => {
    expect(shapeProblem(value)).toBe(problem);
  });
});
