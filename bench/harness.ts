/** Shared by every benchmark worker: the scenarios' contract, fake-model timing, statistics. */
import { readFileSync } from 'node:fs';

/** What one scenario run produced, compared across frameworks before timing. */
export interface Check {
  output: string;
  modelCalls: number;
  toolCalls: number;
}

/** One framework's implementation of the scenarios (each optional scenario may be absent: n/a). */
export interface Implementation {
  name: string;
  /** Package versions to report. */
  versions: Record<string, string>;
  /** S1: three agents in sequence, one model call each. */
  s1(input: string): Promise<Check>;
  /** S2: ten agents in parallel on the same input, aggregated. */
  s2(input: string): Promise<Check>;
  /** S3: one agent, five turns each calling one tool, then an answer. */
  s3(input: string): Promise<Check>;
  /** S4: S1 with a model that answers after `delayMs`. */
  s4?(input: string, delayMs: number): Promise<Check>;
  /** Model calls made so far by every fake model of this implementation (S4 checks them). */
  modelCalls?(): number;
  /** S5: a 10-node linear workflow updating shared state. */
  s5?: Partial<Record<'none' | 'memory' | 'sqlite', () => Promise<Check>>>;
  /** Why a scenario is missing. */
  notes?: Record<string, string>;
}

/** The fake models' answers, the same in every implementation. */
export const script = {
  /** S1: each agent appends a step marker to its input. */
  step: (message: string) => `${message} > step`,
  /** S2: agent `i` labels the input. */
  label: (i: number, message: string) => `a${i}:${message}`,
  /** S2 aggregation: the ten outputs, sorted, comma-joined. */
  aggregate: (outputs: string[]) => [...outputs].sort().join(','),
  /** S3: turns 1-5 call add(turn, 1); turn 6 answers with the last result. */
  toolArgs: (turn: number) => ({ a: turn, b: 1 }),
  answer: (lastResult: string) => `done:${lastResult}`,
};

/** Median and 95th percentile of samples (µs). */
export function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

/** Times `op` one call at a time after a warm-up; returns per-call µs statistics. */
export async function measure(op: () => Promise<unknown>, warmup: number, iterations: number) {
  for (let i = 0; i < warmup; i++) await op();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await op();
    samples.push((performance.now() - start) * 1000);
  }
  return stats(samples);
}

/** Runs `count` ops concurrently; wall time (ms) and peak RSS growth (MiB). */
export async function concurrency(op: () => Promise<unknown>, count: number) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  await Promise.all(Array.from({ length: count }, op));
  const wallMs = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { wallMs, peakRssMiB: (peak - before) / 1024 / 1024 };
}

/** A timer-backed wait (the S4 model latency). */
export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The version of an installed package, read from its package.json under `base`'s node_modules. */
export function packageVersion(base: string | URL, name: string): string {
  const url = new URL(`./node_modules/${name}/package.json`, base);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
