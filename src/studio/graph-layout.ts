import type { GraphEdgeKind, GraphModel } from '../workflows/graph-model.js';
import { END } from '../workflows/workflow-state.js';

/** A box of the drawn graph. `id` is the node's name, or `__start__`, `__end__`, `?<router>`. */
export interface LaidOutNode {
  id: string;
  label: string;
  kind: 'start' | 'end' | 'node' | 'subworkflow' | 'router';
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A drawn edge: an SVG path (`d`), where its label goes, and whether it goes back up. */
export interface LaidOutEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind | 'start';
  label?: string;
  d: string;
  labelAt: { x: number; y: number };
  back: boolean;
}

/** A workflow graph placed on a plane, top to bottom, for the studio to draw as SVG. */
export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

const ROW = 84;
const GAP = 36;
const HEIGHT = 36;
const MARGIN = 24;
/** The width an edge takes in a row it passes through. */
const SLOT = 12;

/**
 * Places a {@link GraphModel} in layers: each node one row below the lowest node that leads
 * to it (edges that close a loop do not count and are drawn back up on the right), nodes of
 * one row side by side — so the branches of a parallel step sit next to each other.
 */
export function layoutGraph(model: GraphModel): GraphLayout {
  const ids = ['__start__', ...model.nodes.map((n) => n.name)];
  const kinds = new Map<string, LaidOutNode['kind']>([['__start__', 'start']]);
  for (const n of model.nodes) kinds.set(n.name, n.child ? 'subworkflow' : 'node');
  const labels = new Map<string, string>([
    ['__start__', 'start'],
    ['__end__', 'end'],
  ]);
  for (const n of model.nodes) labels.set(n.name, n.child ? `${n.name} (${n.child.name})` : n.name);
  const edges: Array<Omit<LaidOutEdge, 'd' | 'labelAt' | 'back'>> = [
    { from: '__start__', to: model.entry, kind: 'start' },
  ];
  for (const e of model.edges) {
    let to = e.to === END ? '__end__' : e.to;
    if (to === null) {
      to = `?${e.from}`;
      kinds.set(to, 'router');
      labels.set(to, 'route(state)');
      ids.push(to);
    }
    edges.push({ from: e.from, to, kind: e.kind, ...(e.label ? { label: e.label } : {}) });
  }
  ids.push('__end__');
  kinds.set('__end__', 'end');

  const back = backEdges(ids, edges);
  const layer = layers(ids, edges, back);
  const rows: string[][] = [];
  for (const id of ids) {
    const at = layer.get(id) ?? 0;
    rows[at] = [...(rows[at] ?? []), id];
  }
  // An edge down several rows passes through a slot in each row between (so it never runs
  // behind a node): the slots take part in the ordering like nodes.
  const chains = new Map<number, string[]>();
  const segments: Array<{ from: string; to: string }> = [];
  edges.forEach((e, i) => {
    if (back.has(i)) return;
    const [from, to] = [layer.get(e.from) ?? 0, layer.get(e.to) ?? 0];
    const slots: string[] = [];
    for (let l = from + 1; l < to; l++) {
      const slot = `~${i}~${l}`;
      slots.push(slot);
      rows[l] = [...(rows[l] ?? []), slot];
    }
    chains.set(i, slots);
    const path = [e.from, ...slots, e.to];
    for (let k = 1; k < path.length; k++)
      segments.push({ from: path[k - 1] as string, to: path[k] as string });
  });
  for (let l = 0; l < rows.length; l++) rows[l] ??= [];
  orderRows(rows, segments);

  const width = (id: string) =>
    id.startsWith('~') ? SLOT : Math.max(72, (labels.get(id) ?? id).length * 7.4 + 28);
  const rowWidths = rows.map(
    (r) => r.reduce((sum, id) => sum + width(id), 0) + GAP * (r.length - 1),
  );
  const widest = Math.max(...rowWidths, 0);
  const placed = new Map<string, LaidOutNode>();
  rows.forEach((row, i) => {
    let x = MARGIN + (widest - (rowWidths[i] ?? 0)) / 2;
    for (const id of row) {
      const w = width(id);
      placed.set(id, {
        id,
        label: labels.get(id) ?? id,
        kind: kinds.get(id) ?? 'node',
        x,
        y: MARGIN + i * ROW,
        width: w,
        height: HEIGHT,
      });
      x += w + GAP;
    }
  });
  const right = MARGIN + widest;
  let loops = 0;
  const drawn = edges.map((e, i) => {
    const at = (id: string) => placed.get(id) as LaidOutNode;
    const isBack = back.has(i);
    const path = isBack
      ? backPath(at(e.from), at(e.to), right + 18 + 14 * loops++)
      : downPath([e.from, ...(chains.get(i) ?? []), e.to].map(at));
    return { ...e, ...path, back: isBack };
  });
  return {
    width: widest + 2 * MARGIN + 18 + 14 * loops + 40,
    height: rows.length * ROW - (ROW - HEIGHT) + 2 * MARGIN,
    nodes: [...placed.values()].filter((n) => !n.id.startsWith('~')),
    edges: drawn,
  };
}

/** Edges that close a cycle, found by a depth-first walk from the start in edge order. */
function backEdges(ids: string[], edges: ReadonlyArray<{ from: string; to: string }>): Set<number> {
  const out = new Map<string, number[]>();
  edges.forEach((e, i) => {
    const list = out.get(e.from) ?? [];
    list.push(i);
    out.set(e.from, list);
  });
  const back = new Set<number>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const i of out.get(id) ?? []) {
      const to = (edges[i] as { to: string }).to;
      const seen = state.get(to);
      if (seen === 'open') back.add(i);
      else if (seen === undefined) visit(to);
    }
    state.set(id, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return back;
}

/** The longest path from the start to each node over the forward edges; the end goes last. */
function layers(
  ids: string[],
  edges: ReadonlyArray<{ from: string; to: string }>,
  back: Set<number>,
): Map<string, number> {
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  // Forward edges form a DAG: relaxing them |ids| times settles every longest path.
  for (let round = 0; round < ids.length; round++) {
    let moved = false;
    edges.forEach((e, i) => {
      if (back.has(i)) return;
      const next = (layer.get(e.from) ?? 0) + 1;
      if (next > (layer.get(e.to) ?? 0)) {
        layer.set(e.to, next);
        moved = true;
      }
    });
    if (!moved) break;
  }
  const deepest = Math.max(...[...layer].filter(([id]) => id !== '__end__').map(([, l]) => l));
  layer.set('__end__', Math.max(layer.get('__end__') ?? 0, deepest + 1));
  return layer;
}

/** Each row ordered by where its nodes' parents sit (fewer crossings), first seen first on ties. */
function orderRows(rows: string[][], segments: ReadonlyArray<{ from: string; to: string }>): void {
  const position = new Map<string, number>();
  rows.forEach((row, r) => {
    if (r > 0) {
      const weight = (id: string) => {
        const parents = segments
          .filter((e) => e.to === id && position.has(e.from))
          .map((e) => position.get(e.from) as number);
        return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : 0;
      };
      const weights = new Map(row.map((id) => [id, weight(id)]));
      row.sort((a, b) => (weights.get(a) as number) - (weights.get(b) as number));
    }
    row.forEach((id, i) => {
      position.set(id, i - (row.length - 1) / 2);
    });
  });
}

/** Down through `stops` (the source, the slots between, the target): curves between rows. */
function downPath(stops: LaidOutNode[]): Pick<LaidOutEdge, 'd' | 'labelAt'> {
  const first = stops[0] as LaidOutNode;
  const centre = (n: LaidOutNode) => n.x + n.width / 2;
  let d = `M${r(centre(first))},${r(first.y + first.height)}`;
  for (let k = 1; k < stops.length; k++) {
    const a = stops[k - 1] as LaidOutNode;
    const b = stops[k] as LaidOutNode;
    const [x1, y1, x2, y2] = [centre(a), a.y + a.height, centre(b), b.y];
    const bend = (y2 - y1) / 2;
    d += ` C${r(x1)},${r(y1 + bend)} ${r(x2)},${r(y2 - bend)} ${r(x2)},${r(y2)}`;
    if (k < stops.length - 1) d += ` L${r(x2)},${r(b.y + b.height)}`; // through the slot
  }
  const last = stops[stops.length - 1] as LaidOutNode;
  const mid = stops.length > 2 ? (stops[1] as LaidOutNode) : undefined;
  return {
    d,
    labelAt: mid
      ? { x: r(centre(mid)), y: r(mid.y + mid.height / 2) }
      : { x: r((centre(first) + centre(last)) / 2), y: r((first.y + first.height + last.y) / 2) },
  };
}

/** A loop back up, around the right of everything. */
function backPath(
  a: LaidOutNode,
  b: LaidOutNode,
  lane: number,
): Pick<LaidOutEdge, 'd' | 'labelAt'> {
  const x1 = a.x + a.width;
  const y1 = a.y + a.height / 2;
  const x2 = b.x + b.width;
  const y2 = b.y + b.height / 2;
  return {
    d: `M${r(x1)},${r(y1)} C${r(lane)},${r(y1)} ${r(lane)},${r(y2)} ${r(x2)},${r(y2)}`,
    labelAt: { x: r(lane), y: r((y1 + y2) / 2) },
  };
}

const r = (n: number) => Math.round(n * 10) / 10;
