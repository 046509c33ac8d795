import type { Checkpointer } from '../workflows/checkpointer.js';
import { UsageError } from './usage-error.js';

/**
 * The run a command names: its whole id, or (as git takes commit hashes) the start of one
 * when exactly one run's id starts so. Unknown and ambiguous prefixes are usage errors.
 */
export async function resolveRunId(
  checkpointer: Checkpointer | undefined,
  given: string,
  store: string,
): Promise<string> {
  if (!checkpointer || (await checkpointer.getLatest(given))) return given;
  const matches: string[] = [];
  let cursor: string | undefined;
  // Every run's summary, a page at a time (summaries only: no state is read).
  for (;;) {
    const page = await checkpointer.listRuns({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const run of page) if (run.runId.startsWith(given)) matches.push(run.runId);
    if (page.length < 500 || matches.length > 3) break;
    cursor = page.at(-1)?.cursor;
    if (cursor === undefined) break;
  }
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1)
    throw new UsageError(
      `run id "${given}" is ambiguous in ${store}: ${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', …' : ''}`,
    );
  throw new UsageError(`unknown run id "${given}" in ${store}`);
}
