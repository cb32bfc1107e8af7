import { describe, expect, it } from "vitest";
import { createLinkedTransports, type MessageTransport } from "./in-memory.js";
import type { JSONRPCMessage } from "./wire.js";

function inbox(transport: MessageTransport): JSONRPCMessage[] {
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (message) => received.push(message);
  return received;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("createLinkedTransports", () => {
  it("delivers copies: neither side sees the other's later mutations", async () => {
    const [client, server] = createLinkedTransports();
    const received = inbox(server);
    await server.start();
    const list = [1];
    const message = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "t", arguments: { list } } } as JSONRPCMessage;
    await client.send(message);
    list.push(2);
    await tick();
    expect(received).toEqual([{ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "t", arguments: { list: [1] } } }]);
    expect(received[0]).not.toBe(message);
  });

  it("gives the receiver what a JSON wire would carry", async () => {
    const [client, server] = createLinkedTransports();
    const received = inbox(client);
    await client.start();
    await server.send({ jsonrpc: "2.0", id: 1, result: { when: new Date(0), gone: undefined, n: NaN } } as unknown as JSONRPCMessage);
    await tick();
    expect(received).toEqual([{ jsonrpc: "2.0", id: 1, result: { when: "1970-01-01T00:00:00.000Z", n: null } }]);
  });

  it("delivers after send returns (no re-entrancy), in order", async () => {
    const [client, server] = createLinkedTransports();
    const received = inbox(server);
    await server.start();
    const sends = [1, 2, 3].map((id) => client.send({ jsonrpc: "2.0", id, method: "ping" } as JSONRPCMessage));
    expect(received).toEqual([]);
    await Promise.all(sends);
    await tick();
    expect(received.map((m) => (m as { id: number }).id)).toEqual([1, 2, 3]);
  });

  it("holds messages until the receiver starts", async () => {
    const [client, server] = createLinkedTransports();
    const received = inbox(server);
    await client.send({ jsonrpc: "2.0", method: "notifications/initialized" } as JSONRPCMessage);
    await tick();
    expect(received).toEqual([]);
    await server.start();
    await tick();
    expect(received).toEqual([{ jsonrpc: "2.0", method: "notifications/initialized" }]);
  });

  it("closes both ends and refuses to send afterwards", async () => {
    const [client, server] = createLinkedTransports();
    let closed = 0;
    client.onclose = () => closed++;
    server.onclose = () => closed++;
    await client.close();
    expect(closed).toBe(2);
    await expect(server.send({ jsonrpc: "2.0", method: "ping", id: 1 } as JSONRPCMessage)).rejects.toThrow(/closed/);
  });

  it("fails the send, not the receiver, when a message cannot be serialised", async () => {
    const [client, server] = createLinkedTransports();
    const received = inbox(server);
    await server.start();
    await expect(client.send({ jsonrpc: "2.0", id: 1, method: "x", params: { big: 1n } } as unknown as JSONRPCMessage)).rejects.toThrow(TypeError);
    await tick();
    expect(received).toEqual([]);
  });
});
