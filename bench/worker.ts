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
/** One S4 round at full load; every run's output and the model calls of all runs checked. */
async function s4Round(s4: NonNullable<Implementation['s4']>, runs: number) {
  const outputs = new Map<string, number>();
  const before = implementation.modelCalls?.() ?? Number.NaN;
  const round = await concurrency(async () => {
    const { output } = await s4(input, 50);
    outputs.set(output, (outputs.get(output) ?? 0) + 1);
  }, runs);
  const calls = (implementation.modelCalls?.() ?? Number.NaN) - before;
  // The check all runs must share: one output for every run, three model calls each.
  const [only] = outputs.keys();
  const check: Check = {
    output: outputs.size === 1 && only !== undefined ? only : `${outputs.size} different outputs`,
    modelCalls: calls / runs,
    toolCalls: 0,
  };
  return { wallMs: round.wallMs, peakRssMiB: round.peakRssMiB, check };
}

type S4Round = Awaited<ReturnType<typeof s4Round>>;
let s4: { cold: S4Round; warm: S4Round; runs: number } | undefined;
let cold: S4Round | undefined;
const s4Runs = quick ? 1000 : 10_000;
// S4 first: its first full-load round is measured cold, as users meet it.
if (implementation.s4) cold = await s4Round(implementation.s4, s4Runs);
globalThis.gc?.(); // the other scenarios start from a collected heap

for (const [name, op] of scenarios) checks[name] = await op();
for (const [name, op] of scenarios)
  timings[name] = await measure(
    op,
    warmup,
    name === 's5-sqlite' ? Math.min(iterations, 500) : iterations,
  );

if (implementation.s4 && cold) {
  const warm = await s4Round(implementation.s4, s4Runs);
  s4 = { cold, warm, runs: s4Runs };
  checks['s4-cold'] = cold.check;
  checks['s4-warm'] = warm.check;
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
