/** The "reads cost what they return" section of docs/benchmarks.md, from bench/reads.ts's JSON. */

interface Timed {
  firstMs: number;
  median: number;
  p95: number;
}

export interface ReadsResult {
  messages: [number, number];
  runCounts: [number, number];
  bigState: number;
  memories: Array<{ name: string; reads: Array<Timed & { messages: number }> }>;
  checkpointers: Array<{
    name: string;
    lists: Array<Timed & { runs: number; stateBytes: number }>;
  }>;
  growth: {
    finalBytes: number;
    wholeBytes: number;
    fileBytes: number;
    perStepMs: number;
    resumeMs: number;
  };
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const ms = (t: Timed) => `${t.firstMs.toFixed(2)} / ${t.median.toFixed(3)}`;
const ratio = (a: Timed, b: Timed) => `${(b.median / a.median).toFixed(2)}×`;

function table(header: string[], body: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function readsSection(r: ReadsResult, cores: number): string {
  const [few, many] = r.messages;
  const [small, large] = r.runCounts;
  const memory = table(
    ['memory', `newest 20 of ${few}`, `newest 20 of ${many.toLocaleString('en')}`, 'ratio'],
    r.memories.map((m) => {
      const [a, b] = m.reads as unknown as [Timed, Timed];
      return [m.name, ms(a), ms(b), ratio(a, b)];
    }),
  );
  const lists = table(
    [
      'checkpointer',
      `listRuns(20) of ${small}`,
      `of ${large.toLocaleString('en')}`,
      'ratio',
      `of 20 runs with ${(r.bigState / 1e6).toFixed(0)} MB states`,
    ],
    r.checkpointers.map((c) => {
      const [a, b, big] = c.lists as unknown as [Timed, Timed, Timed];
      return [c.name, ms(a), ms(b), ratio(a, b), ms(big)];
    }),
  );
  return `Each cell: the first call (cold: the statement prepared, the connection warm) / the median of
the next 30, in ms; every answer is checked (20 entries, the newest; 20 runs). The store is
filled through the public API first (a conversation of ${few} and one of ${many.toLocaleString('en')} 200-byte
messages; ${small} and ${large.toLocaleString('en')} runs of one 0.4 KB checkpoint; 20 runs of
${(r.bigState / 1e6).toFixed(0)} MB). Redis and PostgreSQL run on this machine (loopback), sharing its ${cores} cores.
A read reads newest first in the store and stops when it has enough, and a listing reads each
run's summary, never its state: the ratio column is the large store over the small one.

${memory}

${lists}

A state growing to ${mb(r.growth.finalBytes)} MB over 10 steps (a list of strings appended to, then an
interrupt) on \`SqliteCheckpointer\`: a whole state per checkpoint would write ${mb(r.growth.wholeBytes)} MB; the
file is ${mb(r.growth.fileBytes)} MB after the run (large values are content-addressed blobs: an unchanged one is
stored once, a growing list shares every chunk but its last). ${r.growth.perStepMs.toFixed(1)} ms per step; a resume
in a new checkpointer (the state read back and checked) ${r.growth.resumeMs.toFixed(1)} ms.`;
}
