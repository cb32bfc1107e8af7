/** Small statistics helpers: medians over runs, percentiles over samples. */

/** The value at quantile `q` (0..1) of an unsorted sample (nearest rank). */
export function percentile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => percentile(values, 0.5);

/** Median with its spread over repeated runs: { median, min, max, runs }. */
export function summarise(values) {
  const ok = values.filter((v) => Number.isFinite(v));
  if (ok.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  return { median: median(ok), min: Math.min(...ok), max: Math.max(...ok), runs: ok.length };
}

/** Spread as ± percent of the median (half the min-max range). */
export function spreadPct(s) {
  if (!Number.isFinite(s.median) || s.median === 0) return Number.NaN;
  return ((s.max - s.min) / 2 / s.median) * 100;
}

/** Frameworks in alternating order per round, so drift over time cancels out. */
export function alternate(items, round) {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}
