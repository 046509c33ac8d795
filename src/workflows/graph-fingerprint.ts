import type { GraphModel } from './graph-model.js';

/**
 * A short, stable fingerprint of a graph's shape — its nodes, entry and edges (plain,
 * conditional with their route keys, joins, error routes), subworkflows included — not of
 * its code: the same graph compiled in another process or release has the same one. Each
 * checkpoint records it (`checkpoint.graph`), so a run tells which graph wrote it.
 *
 * @example
 * ```ts
 * graphFingerprint(graphModel(workflow)); // 'g1-5f0e3a2c9d41b7e6'
 * ```
 */
export function graphFingerprint(model: GraphModel): string {
  return `g1-${fnv1a64(canonical(model))}`;
}

/** The model as text, with edges sorted: the order edges were added in does not count. */
function canonical(model: GraphModel): string {
  const nodes = model.nodes.map((n) => (n.child ? `${n.name}{${canonical(n.child)}}` : n.name));
  const edges = model.edges
    .map((e) => `${e.kind}:${e.from}>${e.to ?? '*'}${e.label === undefined ? '' : `=${e.label}`}`)
    .sort();
  return JSON.stringify([model.name, model.entry, nodes, edges]);
}

/** 64-bit FNV-1a of the text's UTF-16 code units, as 16 hex digits (no crypto needed). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
