import type { Checkpoint } from './checkpointer.js';

/** Values smaller than this (as JSON) stay inside the checkpoint. */
const INLINE_BYTES = 16 * 1024;
/** An array is cut into chunks of about this many bytes (an append changes only the last). */
const CHUNK_BYTES = 16 * 1024;

/** Where a large value went: one blob, or the chunks of an array, in order. */
export interface BlobRef {
  path: string[];
  hash?: string;
  chunks?: string[];
}

/** A checkpoint as stored: its JSON (large values out, as `null` in place), and the blobs. */
export interface SplitCheckpoint {
  json: string;
  blobs: Map<string, string>;
}

const REFS = '$blobs';

/**
 * Takes the large values of a checkpoint's state out into content-addressed blobs, so that a
 * state that grows step by step stores what changed, not the whole state again: a large value
 * unchanged since the last step is the same blob, and a growing array shares every chunk but
 * its last. Small states are stored whole, as `json` (`blobs` empty). `whole` is the
 * checkpoint's JSON, already made.
 */
export function splitCheckpoint(c: Checkpoint, whole: string): SplitCheckpoint {
  const blobs = new Map<string, string>();
  if (whole.length < 4 * INLINE_BYTES) return { json: whole, blobs };
  const state = { ...(c.state as Record<string, unknown>) };
  const refs: BlobRef[] = [];
  for (const key of Object.keys(state)) {
    const value = state[key];
    const json = JSON.stringify(value);
    if (json === undefined || json.length < INLINE_BYTES) continue;
    if (isPlainObject(value)) {
      // One level in (agentData, workingMemories, a user's record): its large values go.
      const inner = { ...value };
      for (const prop of Object.keys(inner)) {
        const pj = JSON.stringify(inner[prop]);
        if (pj === undefined || pj.length < INLINE_BYTES) continue;
        refs.push(store([key, prop], inner[prop], pj, blobs));
        inner[prop] = null;
      }
      state[key] = inner;
    } else {
      refs.push(store([key], value, json, blobs));
      state[key] = null;
    }
  }
  if (refs.length === 0) return { json: whole, blobs };
  return { json: JSON.stringify({ ...c, state, [REFS]: refs }), blobs };
}

/**
 * The checkpoint a stored JSON holds, its large values put back in place from the blobs that
 * `load` returns by hash (a missing blob means a damaged store: it throws).
 */
export function joinCheckpoint(
  json: string,
  load: (hash: string) => string | undefined,
): Checkpoint {
  const stored = JSON.parse(json) as Checkpoint & { [REFS]?: BlobRef[] };
  const refs = stored[REFS];
  if (!refs) return stored;
  delete stored[REFS];
  const blob = (hash: string): string => {
    const text = load(hash);
    if (text === undefined)
      throw new SyntaxError(`a state blob (${hash.slice(0, 12)}…) is missing`);
    return text;
  };
  for (const ref of refs) {
    const value = ref.chunks
      ? ref.chunks.flatMap((h) => JSON.parse(blob(h)) as unknown[])
      : JSON.parse(blob(ref.hash as string));
    let at = stored.state as Record<string, unknown>;
    for (const key of ref.path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[ref.path.at(-1) as string] = value;
  }
  return stored;
}

/** The hashes a stored checkpoint's JSON refers to (none for a whole one). */
export function blobHashes(json: string): string[] {
  if (!json.includes(`"${REFS}"`)) return [];
  const refs = (JSON.parse(json) as { [REFS]?: BlobRef[] })[REFS] ?? [];
  return refs.flatMap((r) => r.chunks ?? (r.hash ? [r.hash] : []));
}

function store(path: string[], value: unknown, json: string, blobs: Map<string, string>): BlobRef {
  // An array JSON writes element by element (not one with a `toJSON` of its own) is chunked.
  if (!Array.isArray(value) || 'toJSON' in value) return { path, hash: add(json, blobs) };
  const chunks: string[] = [];
  let part: string[] = [];
  let size = 0;
  const flush = () => {
    chunks.push(add(`[${part.join(',')}]`, blobs));
    part = [];
    size = 0;
  };
  for (const element of value) {
    // As inside the array's own JSON: what JSON cannot hold becomes null.
    const text = JSON.stringify(element) ?? 'null';
    part.push(text);
    size += text.length + 1;
    if (size >= CHUNK_BYTES) flush();
  }
  if (part.length > 0 || chunks.length === 0) flush();
  return { path, chunks };
}

function add(json: string, blobs: Map<string, string>): string {
  const crypto = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  const hash = crypto.createHash('sha256').update(json).digest('base64url');
  blobs.set(hash, json);
  return hash;
}

/** An object JSON writes as its own properties (no class, no `toJSON`). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !('toJSON' in value);
}
