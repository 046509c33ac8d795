/** The studio's page: a shell; `studio.js` draws everything into `#app`, as text. */
export const STUDIO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>arshai studio</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/studio.css">
</head>
<body>
<header><a href="#/" class="brand">arshai studio</a><span id="where"></span></header>
<main id="app"><p class="muted">Loading…</p></main>
<script src="/studio.js"></script>
</body>
</html>
`;

/** The studio's styles (no fonts or images fetched). */
export const STUDIO_CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f8f9fb; --accent: #3559e0;
  --ok: #12805c; --warn: #b25e09; --bad: #c0262d; --run: #3559e0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 16px; align-items: baseline; padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
.brand { font-weight: 650; color: var(--fg); text-decoration: none; }
#where, .muted { color: var(--muted); }
main { padding: 16px 24px 48px; max-width: 1280px; }
h1 { font-size: 18px; margin: 8px 0; word-break: break-all; }
h2 { font-size: 15px; margin: 20px 0 8px; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .02em; }
tbody tr.run { cursor: pointer; }
tbody tr.run:hover { background: #f2f5ff; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.filters { display: flex; gap: 12px; align-items: center; margin: 8px 0 12px; }
select, input, textarea, button { font: inherit; }
select, input, textarea { border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; background: #fff; }
button { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; background: #fff; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--bad); }
button:disabled { opacity: .5; cursor: default; }
.pager { display: flex; gap: 12px; align-items: center; margin-top: 10px; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #eef0f4; }
.status.completed { color: var(--ok); background: #e3f5ee; }
.status.failed, .status.over-budget { color: var(--bad); background: #fde8e8; }
.status.interrupted { color: var(--warn); background: #fdf1e2; }
.status.running { color: var(--run); background: #e8edfd; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 20px; color: var(--muted); }
.meta b { color: var(--fg); font-weight: 600; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.panel.ask { border-color: #f1c48d; background: #fffaf2; }
.panel.error { border-color: #f3b7b9; background: #fff6f6; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 8px; }
.message { color: var(--bad); margin-top: 8px; white-space: pre-wrap; }
.columns { display: grid; grid-template-columns: minmax(280px, auto) 1fr; gap: 20px; align-items: start; }
.graph { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow: auto; }
.graph svg { display: block; }
.graph .node rect { fill: #fff; stroke: #b8bfcc; stroke-width: 1.2; }
.graph .node text { font-size: 12.5px; fill: var(--fg); }
.graph .node.start rect, .graph .node.end rect { fill: #eef0f4; }
.graph .node.visited rect { fill: #e3f5ee; stroke: var(--ok); }
.graph .node.current rect { fill: #e8edfd; stroke: var(--run); stroke-width: 2.4; }
.graph .node.failed rect { fill: #fde8e8; stroke: var(--bad); stroke-width: 2.4; }
.graph .edge path { fill: none; stroke: #b8bfcc; stroke-width: 1.3; }
.graph .edge.route path { stroke-dasharray: 4 3; }
.graph .edge.join path { stroke-width: 2.6; }
.graph .edge.error path { stroke: #e7a1a4; }
.graph .edge.taken path { stroke: var(--ok); stroke-width: 2; }
.graph .edge text { font-size: 11px; fill: var(--muted); }
.graph marker path { fill: #98a1b2; }
.steps { display: flex; flex-direction: column; gap: 8px; }
details.step { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; }
details.step > summary { cursor: pointer; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
details.step > summary .nodes { font-weight: 600; }
details.step .changes td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; }
td.path { color: var(--muted); width: 22%; }
td.before { background: #fff6f6; width: 39%; }
td.after { background: #f3fbf7; width: 39%; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.waterfall { display: grid; grid-template-columns: 180px 1fr 140px; gap: 4px 12px; align-items: center; font-size: 12px; }
.bar { height: 12px; background: #c9d5fb; border-radius: 3px; min-width: 2px; }
.bar.failed { background: #f3b7b9; }
`;
