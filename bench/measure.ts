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

export function formatRate(rate: Rate): string {
  return `${Math.round(rate.opsPerSecond).toLocaleString('en-US')} ops/s (${rate.microsPerOp.toFixed(1)} µs/op)`;
}
