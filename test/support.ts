import type { Client } from "@modelcontextprotocol/client";
import { afterEach, expect } from "vitest";
import { FastMCP, type FastMCPOptions } from "../src/index.js";
import { connectClient } from "./helpers.js";

/** The two handshakes a client can use: 2025-11-25 (`legacy`) and 2026-07-28 (`auto`). */
export const MODES = ["legacy", "auto"] as const;
export type Mode = (typeof MODES)[number];

/**
 * Servers and clients that close themselves after each test, clients first.
 * Servers log nothing unless a test asks (`logLevel`), so output stays clean.
 */
export function useServers() {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0).reverse()) await close().catch(() => undefined);
  });
  return {
    server<L = unknown>(options: FastMCPOptions<L> = {}): FastMCP<L> {
      const mcp = new FastMCP<L>({ name: "test-server", logLevel: "silent", ...options });
      opened.push(() => mcp.close());
      return mcp;
    },
    async client(mcp: FastMCP<any>, options: { capabilities?: Record<string, unknown>; mode?: Mode } = {}): Promise<Client> {
      const client = await connectClient(mcp, { mode: "legacy", ...options });
      opened.push(() => client.close());
      return client;
    },
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail("expected the promise to reject");
}

/** The error a function throws synchronously; fails the test when it returns. */
export function thrownBy(run: () => unknown): any {
  try {
    run();
  } catch (error) {
    return error;
  }
  expect.fail("expected the call to throw");
}

/** The text of each content block (non-text blocks give their type). */
export function texts(result: { content?: unknown }): string[] {
  return ((result.content ?? []) as { type: string; text?: string }[]).map((b) => (b.type === "text" ? (b.text ?? "") : `<${b.type}>`));
}

/** Bytes as base64, computed independently of mcpkit's own encoder. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
