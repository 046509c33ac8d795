/** One change between two states: where (`agentData.reply`, `errors[2]`), and the values. */
export interface StateChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const DEPTH = 4;

/**
 * What changed from `before` to `after`: plain objects are walked key by key (to a depth of
 * four), an array that only grew shows its new items, anything else that differs shows whole.
 *
 * @example
 * ```ts
 * stateChanges({ a: 1, list: [1] }, { a: 2, list: [1, 2] });
 * // [{ path: 'a', kind: 'changed', before: 1, after: 2 }, { path: 'list[1]', kind: 'added', after: 2 }]
 * ```
 */
export function stateChanges(before: unknown, after: unknown): StateChange[] {
  const out: StateChange[] = [];
  walk(before, after, '', 0, out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, depth: number, out: StateChange[]): void {
  if (same(a, b)) return;
  if (isPlain(a) && isPlain(b) && depth < DEPTH) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in b)) out.push({ path: at, kind: 'removed', before: a[key] });
      else if (!(key in a)) out.push({ path: at, kind: 'added', after: b[key] });
      else walk(a[key], b[key], at, depth + 1, out);
    }
    return;
  }
  if (
    Array.isArray(a) &&
    Array.isArray(b) &&
    b.length > a.length &&
    a.every((v, i) => same(v, b[i]))
  ) {
    for (let i = a.length; i < b.length; i++)
      out.push({ path: `${path}[${i}]`, kind: 'added', after: b[i] });
    return;
  }
  out.push({ path: path || '(state)', kind: 'changed', before: a, after: b });
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => same(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => k in rb && same((a as Record<string, unknown>)[k], rb[k]));
}
