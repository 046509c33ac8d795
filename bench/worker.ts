/** One framework in its own process: check every scenario, then time it; JSON on stdout. */
import { pathToFileURL } from 'node:url';
import { type Check, concurrency, type Implementation, measure } from './harness.ts';

const [modulePath, optionsJson] = process.argv.slice(2);
const { quick } = JSON.parse(optionsJson ?? '{}') as { quick?: boolean };
const { implementation } = (await import(pathToFileURL(modulePath as string).href)) as {
  implementation: Implementation;
};

const warmup = quick ? 50 : 500;
const iterations = quick ? 200 : 3000;
const input = 'topic';
const checks: Record<string, Check> = {};
const timings: Record<string, { median: number; p95: number }> = {};

const scenarios: Array<[string, () => Promise<Check>]> = [
  ['s1', () => implementation.s1(input)],
  ['s2', () => implementation.s2(input)],
  ['s3', () => implementation.s3(input)],
  ...Object.entries(implementation.s5 ?? {}).map(
    ([k, fn]) => [`s5-${k}`, fn as () => Promise<Check>] as [string, () => Promise<Check>],
  ),
];
for (const [name, op] of scenarios) checks[name] = await op();
for (const [name, op] of scenarios)
  timings[name] = await measure(
    op,
    warmup,
    name === 's5-sqlite' ? Math.min(iterations, 500) : iterations,
  );

let s4: { wallMs: number; peakRssMiB: number; runs: number; check: Check } | undefined;
if (implementation.s4) {
  const runs = quick ? 1000 : 10_000;
  const check = await implementation.s4(input, 50);
  // One warm-up round at full load, as the other scenarios warm up before timing.
  await concurrency(() => implementation.s4?.(input, 50) as Promise<Check>, runs);
  const result = await concurrency(() => implementation.s4?.(input, 50) as Promise<Check>, runs);
  s4 = { ...result, runs, check };
}

process.stdout.write(
  JSON.stringify({
    name: implementation.name,
    versions: implementation.versions,
    notes: implementation.notes ?? {},
    checks,
    timings,
    s4,
  }),
);
