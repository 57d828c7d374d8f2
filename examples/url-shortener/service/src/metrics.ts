/** In-process counters (GET /metrics when METRICS=true; tests and the benchmark read them). */
const counters = new Map<string, number>();
const gauges = new Map<string, () => number | string>();

export function inc(name: string, by = 1): void {
  counters.set(name, (counters.get(name) ?? 0) + by);
}

export function gauge(name: string, read: () => number | string): void {
  gauges.set(name, read);
}

export function snapshot(): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of [...counters.entries()].sort()) out[k] = v;
  for (const [k, read] of gauges) out[k] = read();
  return out;
}
