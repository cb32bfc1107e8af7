/** Render the collected figures as Markdown: one table per section, then the targets. */
import { MEASURES, TARGETS } from "./measures.mjs";
import { spreadPct, summarise } from "./stats.mjs";

const fmt = (v, unit) => {
  if (!Number.isFinite(v)) return "–";
  if (unit === "ms" && v === 0) return "<1"; // autocannon's latency histogram counts whole milliseconds
  if (unit === "calls/s" || unit === "req/s" || unit === "pkgs") return Math.round(v).toLocaleString("en-US");
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
};

function relative(kind, v, base) {
  if (!Number.isFinite(v) || !Number.isFinite(base) || base === 0) return "–";
  const r = v / base;
  return kind === "rate" ? `${(r * 100).toFixed(0)}%` : `${r.toFixed(2)}×`;
}

/** `results`: { values: Map<measure, Map<fw, number[]>>, failures: Map<measure, Map<fw, string>> }. */
export function render(results, meta) {
  const medians = (id, fw) => summarise(results.values.get(id)?.get(fw) ?? []).median;
  const lines = [];
  lines.push("# mcpkit benchmarks", "");
  lines.push(`Run on ${meta.date}: Node ${meta.node}, ${meta.machine}. Command: \`${meta.command}\`; ${meta.rounds} rounds per figure (median shown, ± is half the min–max spread), frameworks in alternating order each round.`, "");
  if (meta.merged) lines.push(`Only the suites named by \`--only\` were measured in this run (with the rounds above); every other figure comes from the previous full run (\`npm run bench\`${meta.previousRounds ? `, ${meta.previousRounds} rounds` : ""}) on the same machine.`, "");
  lines.push("Absolute numbers drift between runs on a shared machine: read the ratios. \"vs raw\" is the framework's figure over the raw responder's (a rate as a percentage, a time as a multiple); \"vs SDK\" the same against the official SDK v2.", "");

  const sections = [...new Set(MEASURES.map((m) => m.section))];
  for (const section of sections) {
    const measures = MEASURES.filter((m) => m.section === section && (results.values.has(m.id) || results.failures.has(m.id)));
    if (measures.length === 0) continue;
    lines.push(`## ${section}`, "");
    const fws = meta.frameworks.filter((fw) => measures.some((m) => results.values.get(m.id)?.has(fw) || results.failures.get(m.id)?.has(fw)));
    lines.push(`| measure | unit | ${fws.join(" | ")} |`, `|---|---|${fws.map(() => "---|").join("")}`);
    for (const m of measures) {
      const cells = fws.map((fw) => {
        const failure = results.failures.get(m.id)?.get(fw);
        const s = summarise(results.values.get(m.id)?.get(fw) ?? []);
        if (s.runs === 0) return failure === undefined ? "–" : failure.startsWith("n/a") ? "n/a" : "error";
        const spread = spreadPct(s);
        const parts = [`${fmt(s.median, m.unit)}${s.runs > 1 && Number.isFinite(spread) ? ` ±${spread.toFixed(0)}%` : ""}`];
        if (fw !== "raw") {
          const vsRaw = relative(m.kind, s.median, medians(m.id, "raw"));
          if (vsRaw !== "–") parts.push(`${vsRaw} raw`);
        }
        if (fw !== "sdk") {
          const vsSdk = relative(m.kind, s.median, medians(m.id, "sdk"));
          if (vsSdk !== "–") parts.push(`${vsSdk} SDK`);
        }
        return parts.join("<br>");
      });
      lines.push(`| ${m.label} | ${m.unit} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }

  renderStorage(results, lines);

  lines.push("## Targets for mcpkit", "", "| target | measured | met |", "|---|---|---|");
  let unmet = 0;
  for (const t of TARGETS) {
    const { value, met } = t.check(medians);
    const measured = /NaN|undefined/.test(value) ? "not measured in this run" : value;
    if (!measured.startsWith("not") && !met) unmet++;
    lines.push(`| ${t.what} | ${measured} | ${measured.startsWith("not") ? "–" : met ? "yes" : "**no**"} |`);
  }
  lines.push("");
  if (unmet > 0) {
    lines.push(
      "Where the time (or memory) goes for each target not met, from CPU profiles and heap snapshots, and what would close it: [docs/performance.md](../docs/performance.md#where-the-time-goes-now).",
      "",
    );
  }

  // One line per framework and reason, naming the measures it covers.
  const grouped = new Map();
  for (const [id, m] of results.failures) {
    for (const [fw, why] of m) {
      const key = `${fw}\0${why}`;
      grouped.set(key, [...(grouped.get(key) ?? []), id]);
    }
  }
  if (grouped.size > 0) {
    lines.push("## Not measured", "");
    for (const [key, ids] of grouped) {
      const [fw, why] = key.split("\0");
      lines.push(`- **${fw}** (${ids.join(", ")}): ${why}`);
    }
    lines.push("");
  }

  lines.push("## Reproduce", "", "```sh", "npm ci", "npm run bench            # the full run (about 15-20 minutes), rewrites bench/RESULTS.md", "npm run bench -- --quick # a 2-minute smoke run of the harness, written to results/", "```", "");
  lines.push("Options: `--only=inproc,stdio,http,startup,memory,storage,footprint`, `--frameworks=raw,mcpkit,sdk`, `--rounds=N`. The peers are dev dependencies of `bench/` only (`bench/package.json`).", "");
  return lines.join("\n");
}

/** Storage rows are backends, not frameworks: ops/s at 1 and 32 callers, and each backend against its raw driver. */
function renderStorage(results, lines) {
  const one = results.values.get("storage-1");
  if (one === undefined) return;
  const many = results.values.get("storage-32");
  lines.push("## Storage (get/set, 50/50, small JSON records with a TTL)", "");
  const paired = (lanes, name) => summarise(results.values.get(`storage-paired-${lanes}`)?.get(name) ?? []).median;
  lines.push("| backend | ops/s, 1 caller | ops/s, 32 callers | vs raw driver, paired windows (1 / 32) |", "|---|---|---|---|");
  for (const name of one.keys()) {
    const a = summarise(one.get(name) ?? []);
    const b = summarise(many?.get(name) ?? []);
    const p1 = paired(1, name), p32 = paired(32, name);
    const vs = Number.isFinite(p1) ? `${(p1 * 100).toFixed(0)}% / ${(p32 * 100).toFixed(0)}%` : "–";
    lines.push(`| ${name} | ${fmt(a.median, "calls/s")} ±${spreadPct(a).toFixed(0)}% | ${fmt(b.median, "calls/s")} ±${spreadPct(b).toFixed(0)}% | ${vs} |`);
  }
  lines.push("", "The ratio is the median of store/raw over adjacent short windows (alternating which goes first); the raw driver does the same work by hand: JSON in and out, a TTL on every write, and for PostgreSQL the same table, statements and statement timeout as the store.", "");
}
