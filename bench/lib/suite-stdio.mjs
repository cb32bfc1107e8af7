/** stdio: sequential latency, 32 calls in flight, tools/list latency with 10 and 500 tools. */
import { startStdio } from "./servers.mjs";
import { percentile, alternate } from "./stats.mjs";
import { CALLS, checkResult } from "./tools.mjs";
import { request } from "./protocol.mjs";

const call = (i) => (id) => request(id, "tools/call", CALLS[i % 3]);

async function checked(client) {
  for (let i = 0; i < 3; i++) {
    const answer = await client.request(call(i));
    checkResult(i, answer.result ?? answer);
  }
}

/** `count` calls one after another: { perSec, p50, p99 } (latencies in ms). */
async function sequential(client, count) {
  const lat = new Float64Array(count);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const answer = await client.request(call(i));
    lat[i] = performance.now() - t;
    if (answer.result === undefined) throw new Error(`call failed: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSec: count / seconds, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99) };
}

/** `count` calls with `depth` in flight at all times: calls/s. */
async function inFlight(client, count, depth) {
  let sent = 0;
  let failed;
  const start = performance.now();
  const lane = async () => {
    while (sent < count) {
      const i = sent++;
      const answer = await client.request(call(i));
      if (answer.result === undefined) failed ??= answer;
    }
  };
  await Promise.all(Array.from({ length: depth }, lane));
  if (failed !== undefined) throw new Error(`call failed: ${JSON.stringify(failed).slice(0, 300)}`);
  return count / ((performance.now() - start) / 1000);
}

async function listLatency(fw, tools, count) {
  const client = await startStdio(fw, { tools });
  try {
    const first = await client.request((id) => request(id, "tools/list"));
    const listed = first.result?.tools?.length;
    if (listed !== tools) throw new Error(`tools/list gave ${listed} tools, expected ${tools}`);
    for (let i = 0; i < Math.min(20, count); i++) await client.request((id) => request(id, "tools/list"));
    const lat = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await client.request((id) => request(id, "tools/list"));
      lat[i] = performance.now() - t;
    }
    return percentile(lat, 0.5);
  } finally {
    await client.close();
  }
}

export async function stdioSuite(ctx) {
  const seq = ctx.quick ? 500 : 5000;
  const burst = ctx.quick ? 2000 : 20000;
  const lists = ctx.quick ? 20 : 200;
  for (let round = 0; round < ctx.rounds; round++) {
    for (const fw of alternate(ctx.frameworks, round)) {
      let client;
      try {
        client = await startStdio(fw);
        await checked(client);
        await sequential(client, Math.min(1000, seq)); // warm-up
      } catch (error) {
        ctx.fail(["stdio-seq", "stdio-seq-p50", "stdio-seq-p99", "stdio-32"], fw, error);
        await client?.close();
        continue;
      }
      await ctx.attempt("stdio-seq", fw, async () => {
        const r = await sequential(client, seq);
        ctx.record("stdio-seq-p50", fw, r.p50);
        ctx.record("stdio-seq-p99", fw, r.p99);
        return r.perSec;
      });
      await ctx.attempt("stdio-32", fw, () => inFlight(client, burst, 32));
      await client.close();
    }
    for (const fw of alternate(ctx.frameworks, round)) {
      await ctx.attempt("list-10", fw, () => listLatency(fw, 10, lists));
      await ctx.attempt("list-500", fw, () => listLatency(fw, 500, lists));
    }
  }
}
