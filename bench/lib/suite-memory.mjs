/**
 * Memory: RSS of an idle stdio server; retained memory per open legacy HTTP
 * session (1,000 of them); heap growth over many calls in one session.
 * Servers run with a GC hook so figures are retained memory, not garbage.
 */
import { memoryFlags, startHttp, startStdio } from "./servers.mjs";
import { probe, rssOf } from "./memory-probe.mjs";
import { openSession } from "./suite-http.mjs";
import { request } from "./protocol.mjs";
import { CALLS } from "./tools.mjs";

const settle = (ms) => new Promise((r) => setTimeout(r, ms));

async function idleRss(fw) {
  const client = await startStdio(fw);
  try {
    await client.request((id) => request(id, "tools/list"));
    await settle(300);
    return (await rssOf(client.pid)) / 1024 / 1024;
  } finally {
    await client.close();
  }
}

/** KiB retained per open session: heap (+external) after GC, before and after opening `count`. */
async function perSession(fw, count) {
  const server = await startHttp(fw, "sessions", { nodeArgs: memoryFlags });
  try {
    await openSession(server.url); // first-use allocations are not per-session cost
    const before = await probe(server.pid);
    for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => openSession(server.url)));
    const after = await probe(server.pid);
    const heapKiB = (after.heapUsed + after.external - before.heapUsed - before.external) / count / 1024;
    return { heapKiB, rssKiB: (after.rss - before.rss) / count / 1024 };
  } finally {
    await server.stop();
  }
}

/** MiB of heap growth after `calls` calls in one stdio session (after a warm-up and a full GC each side). */
async function growth(fw, calls) {
  const client = await startStdio(fw, { nodeArgs: memoryFlags });
  try {
    const burst = async (n) => {
      let sent = 0;
      const lane = async () => {
        while (sent < n) {
          const c = CALLS[sent++ % 3];
          const answer = await client.request((id) => request(id, "tools/call", c));
          if (answer.result === undefined) throw new Error(`call failed: ${JSON.stringify(answer).slice(0, 200)}`);
        }
      };
      await Promise.all(Array.from({ length: 32 }, lane));
    };
    await burst(5000);
    const before = await probe(client.pid);
    await burst(calls);
    const after = await probe(client.pid);
    return (after.heapUsed + after.external - before.heapUsed - before.external) / 1024 / 1024;
  } finally {
    await client.close();
  }
}

export async function memorySuite(ctx) {
  const sessions = ctx.quick ? 200 : 1000;
  const calls = ctx.quick ? 10_000 : 100_000;
  for (const fw of ctx.frameworks) {
    await ctx.attempt("rss-idle", fw, () => idleRss(fw));
    await ctx.attempt("session-heap", fw, async () => {
      const r = await perSession(fw, sessions);
      ctx.record("session-rss", fw, r.rssKiB);
      return r.heapKiB;
    });
    await ctx.attempt("growth", fw, () => growth(fw, calls));
  }
}
