/** Small timing helpers: rounds of a fixed number of operations, median of the rounds. */
import { performance } from 'node:perf_hooks';

export interface Rate {
  opsPerSecond: number;
  microsPerOp: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs `operation(i)` for i in [0, count) per round; reports the median round. */
export async function measureRate(
  count: number,
  rounds: number,
  operation: (index: number) => unknown,
): Promise<Rate> {
  const durations: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const result = operation(i);
      if (result instanceof Promise) await result;
    }
    durations.push(performance.now() - started);
  }
  const microsPerOp = (median(durations) * 1000) / count;
  return { opsPerSecond: 1e6 / microsPerOp, microsPerOp };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export { median };

/** The median of per-round ratios and the middle half of them (first to third quartile). */
export interface PairedRatio {
  median: number;
  q1: number;
  q3: number;
}

/**
 * `a[i] / b[i]` for each round i (contender and baseline measured back to back), as a median and
 * quartiles: a drift in the machine's speed between rounds moves both alike and cancels out.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  const ratios = a.map((value, round) => value / (b[round] ?? Number.NaN)).sort((x, y) => x - y);
  const at = (fraction: number) => ratios[Math.floor(fraction * (ratios.length - 1))] ?? Number.NaN;
  return { median: median(ratios), q1: at(0.25), q3: at(0.75) };
}

export function formatRate(rate: Rate): string {
  return `${Math.round(rate.opsPerSecond).toLocaleString('en-US')} ops/s (${rate.microsPerOp.toFixed(1)} µs/op)`;
}
