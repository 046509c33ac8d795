/**
 * The studio's browser script (plain JavaScript, served as `/studio.js`). Every string from a
 * run is put in the page with `textContent` or as an attribute: nothing from a run is HTML.
 */
export const STUDIO_SCRIPT = `'use strict';
(function () {
  var app = document.getElementById('app');
  var filters = { status: '', workflow: '', offset: 0 };
  var PAGE = 50;
  var current = { source: null, timer: null, openSteps: {}, version: -1 };
  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    set(node, attrs);
    add(node, children);
    return node;
  }
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    set(node, attrs);
    add(node, children);
    return node;
  }
  function set(node, attrs) {
    for (var key in attrs || {}) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) continue;
      if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  function add(node, children) {
    [].concat(children === undefined ? [] : children).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    });
  }
  function api(path, init) {
    var options = init || {};
    return fetch(path, options).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) {
          var error = new Error(body && body.error ? body.error.message : 'HTTP ' + res.status);
          error.name = body && body.error ? body.error.name : 'Error';
          throw error;
        }
        return body;
      });
    });
  }
  function post(path, body) {
    return api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  function stopLive() {
    if (current.source) current.source.close();
    if (current.timer) clearTimeout(current.timer);
    current.source = null;
    current.timer = null;
  }
  function enc(id) { return encodeURIComponent(id); }
  function when(iso) { return iso ? iso.replace('T', ' ').replace(/\\.\\d+Z$/, 'Z') : ''; }
  function duration(ms) {
    if (ms === undefined || ms === null) return '';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }
  function cost(usd) {
    if (usd === undefined || usd === null) return '';
    return '$' + (usd < 0.01 ? usd.toFixed(6) : usd.toFixed(4));
  }
  function badge(status) { return el('span', { class: 'status ' + status }, status); }
  function json(value) {
    if (value === undefined) return '';
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  }
  function folded(value) {
    var text = json(value);
    if (text.length <= 160) return el('pre', {}, text);
    return el('details', {}, [el('summary', {}, text.slice(0, 160) + '…'), el('pre', {}, text)]);
  }
  function fail(error) {
    stopLive();
    app.replaceChildren(el('div', { class: 'panel error' }, [el('b', {}, error.name + ': '), error.message]));
  }

  function route() {
    stopLive();
    var match = /^#\\/runs\\/(.+)$/.exec(location.hash);
    current.runId = match ? decodeURIComponent(match[1]) : null;
    if (match) showRun(current.runId, true);
    else showList();
  }

  function showList() {
    var q = '?limit=' + PAGE + '&offset=' + filters.offset +
      (filters.status ? '&status=' + enc(filters.status) : '') +
      (filters.workflow ? '&workflow=' + enc(filters.workflow) : '');
    api('/api/runs' + q).then(function (list) {
      if (current.runId !== null) return;
      if (!filters.status && !filters.workflow)
        document.getElementById('where').textContent = list.total + (list.capped ? '+' : '') + ' runs';
      app.replaceChildren(listView(list));
      current.timer = setTimeout(showList, 5000);
    }, fail);
  }

  function choose(name, options, value) {
    return el('select', {
      id: 'filter-' + name,
      onchange: function (e) { filters[name] = e.target.value; filters.offset = 0; stopLive(); showList(); },
    }, [el('option', { value: '' }, name === 'status' ? 'every status' : 'every workflow')].concat(
      options.map(function (o) { return el('option', { value: o, selected: o === value }, o); })));
  }

  function listView(list) {
    var rows = list.runs.map(function (r) {
      var spent = r.spent || {};
      return el('tr', { class: 'run', 'data-run': r.runId, onclick: function () { location.hash = '#/runs/' + enc(r.runId); } }, [
        el('td', {}, el('a', { href: '#/runs/' + enc(r.runId) }, r.runId)),
        el('td', {}, r.workflow), el('td', {}, r.userId), el('td', {}, badge(r.status)),
        el('td', { class: 'num' }, r.step + 1), el('td', {}, when(r.startedAt)),
        el('td', { class: 'num' }, duration(r.durationMs)),
        el('td', { class: 'num' }, spent.tokens ? spent.tokens : ''),
        el('td', { class: 'num' }, spent.modelCalls ? cost(spent.costUsd) : ''),
      ]);
    });
    var last = Math.min(list.offset + list.runs.length, list.total);
    return el('div', {}, [
      el('h1', {}, 'Runs'),
      el('div', { class: 'filters' }, [choose('status', list.statuses, filters.status), choose('workflow', list.workflows, filters.workflow),
        el('span', { class: 'muted' }, list.capped ? 'the newest ' + list.total + ' runs' : '')]),
      el('table', { id: 'runs' }, [
        el('thead', {}, el('tr', {}, ['run', 'workflow', 'user', 'status', 'steps', 'started', 'duration', 'tokens', 'cost'].map(function (h) { return el('th', {}, h); }))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 9, class: 'muted' }, 'No runs.'))),
      ]),
      el('div', { class: 'pager' }, [
        el('button', { id: 'newer', disabled: list.offset === 0, onclick: function () { filters.offset = Math.max(0, list.offset - PAGE); stopLive(); showList(); } }, '← newer'),
        el('span', { id: 'page' }, list.total ? (list.offset + 1) + '–' + last + ' of ' + list.total : ''),
        el('button', { id: 'older', disabled: last >= list.total, onclick: function () { filters.offset = list.offset + PAGE; stopLive(); showList(); } }, 'older →'),
      ]),
    ]);
  }

  function showRun(id, first) {
    api('/api/runs/' + enc(id)).then(function (view) {
      if (current.runId !== id) return;
      if (first) current.openSteps = {};
      var last = view.steps[view.steps.length - 1];
      current.version = last ? last.version : -1;
      app.replaceChildren(runView(view));
      if (first) watch(id);
    }, fail);
  }

  function watch(id) {
    var source = new EventSource('/api/runs/' + enc(id) + '/events');
    source.onmessage = function (e) {
      var data = JSON.parse(e.data);
      if (data.version !== current.version) showRun(id, false);
    };
    current.source = source;
  }

  function runView(view) {
    var r = view.run;
    var spent = r.spent || {};
    var parts = [
      el('p', {}, el('a', { href: '#/' }, '← all runs')),
      el('h1', { id: 'run-id' }, r.runId),
      el('div', { class: 'meta' }, [
        el('span', {}, ['status ', badge(r.status)]), el('span', {}, ['workflow ', el('b', {}, r.workflow)]),
        el('span', {}, ['user ', el('b', {}, r.userId)]), el('span', {}, ['steps ', el('b', {}, r.step + 1)]),
        r.startedAt ? el('span', {}, ['started ', el('b', {}, when(r.startedAt))]) : null,
        r.durationMs !== undefined ? el('span', {}, ['duration ', el('b', {}, duration(r.durationMs))]) : null,
        spent.tokens ? el('span', {}, ['tokens ', el('b', {}, spent.tokens)]) : null,
        spent.modelCalls ? el('span', {}, ['cost ', el('b', {}, cost(spent.costUsd))]) : null,
        view.forkedFrom ? el('span', {}, ['forked from ', el('a', { href: '#/runs/' + enc(view.forkedFrom.runId) }, view.forkedFrom.runId), ' step ' + view.forkedFrom.step]) : null,
      ]),
    ];
    if (view.interrupt) parts.push(askPanel(view));
    var lastStep = view.steps[view.steps.length - 1];
    if (lastStep && lastStep.error) parts.push(el('div', { class: 'panel error', id: 'run-error' }, [el('b', {}, lastStep.error.name + ': '), lastStep.error.message, lastStep.error.node ? ' (node ' + lastStep.error.node + ')' : '']));
    if (view.actions.resume) parts.push(resumePanel(view));
    parts.push(el('div', { class: 'columns' }, [
      el('div', {}, [el('h2', {}, 'Graph'), view.graph ? graphView(view) : el('p', { class: 'muted' }, 'Start the studio with the module that exports this workflow to see its graph.')]),
      el('div', {}, [el('h2', {}, 'Timeline'), waterfall(view), el('div', { class: 'steps', id: 'steps' }, view.steps.map(function (s) { return stepView(view, s); }))]),
    ]));
    return el('div', {}, parts);
  }

  function question(payload) {
    if (payload && typeof payload === 'object' && typeof payload.question === 'string') return payload.question;
    return json(payload);
  }

  function askPanel(view) {
    var ask = view.interrupt;
    var message = el('div', { class: 'message', id: 'answer-error' });
    function send(body) {
      message.textContent = '';
      post('/api/runs/' + enc(view.run.runId) + '/resume', body).then(function () { showRun(view.run.runId, false); },
        function (error) { message.textContent = error.name + ': ' + error.message; });
    }
    var reason = el('input', { id: 'answer-reason', placeholder: 'reason (for a rejection)', size: 30 });
    var value = el('textarea', { id: 'answer-value', rows: 2, cols: 40, placeholder: 'an answer as JSON, e.g. "yes" or {"ok": true}' });
    var controls = [
      el('button', { id: 'answer-approve', class: 'primary', disabled: !view.actions.answer, onclick: function () { send({ decision: 'approve' }); } }, 'Approve'),
      el('button', { id: 'answer-reject', class: 'danger', disabled: !view.actions.answer, onclick: function () { send({ decision: 'reject', reason: reason.value || undefined }); } }, 'Reject'),
      ask.kind === 'approval' ? reason : null,
    ];
    var valueRow = ask.kind === 'value' ? el('div', { class: 'row' }, [value, el('button', { id: 'answer-send', disabled: !view.actions.answer, onclick: function () {
      var text = value.value.trim();
      var parsed;
      try { parsed = JSON.parse(text); } catch (e) { parsed = text; }
      send({ value: parsed });
    } }, 'Send answer')]) : null;
    return el('div', { class: 'panel ask', id: 'ask' }, [
      el('b', {}, 'Waiting at "' + ask.node + '": '), el('span', { id: 'ask-question' }, question(ask.payload)),
      ask.payload && typeof ask.payload === 'object' ? el('details', {}, [el('summary', {}, 'payload'), el('pre', {}, json(ask.payload))]) : null,
      el('div', { class: 'row' }, controls), valueRow,
      view.actions.answer ? null : el('p', { class: 'muted' }, 'Start the studio with this workflow to answer here.'),
      message,
    ]);
  }

  function resumePanel(view) {
    var message = el('div', { class: 'message' });
    return el('div', { class: 'panel', id: 'resume' }, [
      'This run stopped (' + view.run.status + ') or its process died. ',
      el('button', { id: 'resume-run', class: 'primary', onclick: function () {
        post('/api/runs/' + enc(view.run.runId) + '/resume', {}).then(function () { showRun(view.run.runId, false); },
          function (error) { message.textContent = error.name + ': ' + error.message; });
      } }, 'Resume run'), message,
    ]);
  }

  function graphView(view) {
    var g = view.graph;
    var visited = {}; view.visited.forEach(function (n) { visited[n] = true; });
    visited.__start__ = true;
    if (view.run.status === 'completed') visited.__end__ = true;
    var now = {}; view.current.forEach(function (n) { now[n] = true; });
    var root = svg('svg', { width: g.width, height: g.height, viewBox: '0 0 ' + g.width + ' ' + g.height, role: 'img', 'aria-label': 'workflow graph' });
    root.appendChild(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z' }))));
    g.edges.forEach(function (e) {
      var taken = visited[e.from] && (visited[e.to] || now[e.to]);
      root.appendChild(svg('g', { class: 'edge ' + e.kind + (taken ? ' taken' : ''), 'data-from': e.from, 'data-to': e.to }, [
        svg('path', { d: e.d, 'marker-end': 'url(#arrow)' }),
        e.label ? svg('text', { x: e.labelAt.x + 4, y: e.labelAt.y }, e.label) : null,
      ]));
    });
    g.nodes.forEach(function (n) {
      var cls = 'node ' + n.kind + (visited[n.id] ? ' visited' : '') + (now[n.id] ? (view.failed === n.id ? ' failed' : ' current') : '');
      root.appendChild(svg('g', { class: cls, 'data-node': n.id }, [
        svg('rect', { x: n.x, y: n.y, width: n.width, height: n.height, rx: n.kind === 'start' || n.kind === 'end' ? 18 : 6 }),
        svg('text', { x: n.x + n.width / 2, y: n.y + n.height / 2 + 4, 'text-anchor': 'middle' }, n.label),
      ]));
    });
    return el('div', { class: 'graph' }, root);
  }

  function waterfall(view) {
    var steps = view.steps;
    if (steps.length < 2) return null;
    var start = Date.parse(steps[0].createdAt);
    var total = Math.max(1, Date.parse(steps[steps.length - 1].createdAt) - start);
    var cells = [];
    steps.slice(1).forEach(function (s) {
      var end = Date.parse(s.createdAt) - start;
      var took = s.elapsedMs || 0;
      var spent = s.spent || {};
      cells.push(el('span', {}, s.ran.length ? s.ran.join(' ‖ ') : '(' + s.status + ')'));
      var bar = el('div', { class: 'bar' + (s.error ? ' failed' : '') });
      bar.style.marginLeft = (100 * (end - took) / total) + '%';
      bar.style.width = (100 * took / total) + '%';
      cells.push(el('div', {}, bar));
      cells.push(el('span', { class: 'muted' }, duration(took) + (spent.tokens ? ' · ' + spent.tokens + ' tok' : '') + (spent.modelCalls ? ' · ' + cost(spent.costUsd) : '')));
    });
    return el('div', { class: 'panel waterfall', id: 'waterfall' }, cells);
  }

  function stepView(view, s) {
    var key = String(s.version);
    var spent = s.spent || {};
    var changes = s.changes.map(function (c) {
      return el('tr', { class: 'change ' + c.kind }, [el('td', { class: 'path' }, c.path), el('td', { class: 'before' }, c.kind === 'added' ? '' : folded(c.before)), el('td', { class: 'after' }, c.kind === 'removed' ? '(removed)' : folded(c.after))]);
    });
    var details = el('details', { class: 'step', 'data-version': key, open: current.openSteps[key] === true, ontoggle: function (e) { current.openSteps[key] = e.target.open; } }, [
      el('summary', {}, [
        el('span', {}, 'step ' + s.step), el('span', { class: 'nodes' }, s.ran.length ? s.ran.join(' ‖ ') : s.resumes ? 'resumed' : 'start'),
        badge(s.status), el('span', { class: 'muted' }, when(s.createdAt)),
        s.elapsedMs !== undefined ? el('span', { class: 'muted' }, '+' + duration(s.elapsedMs)) : null,
        spent.tokens ? el('span', { class: 'muted' }, spent.tokens + ' tokens') : null,
        spent.modelCalls ? el('span', { class: 'muted' }, cost(spent.costUsd)) : null,
        view.actions.fork && s.status !== 'interrupted' ? el('button', { class: 'fork', onclick: function (e) {
          e.preventDefault();
          post('/api/runs/' + enc(view.run.runId) + '/fork', { step: s.step }).then(function (made) { location.hash = '#/runs/' + enc(made.runId); }, fail);
        } }, 'fork from here') : null,
      ]),
      s.error ? el('p', { class: 'message' }, s.error.name + ': ' + s.error.message) : null,
      s.interrupt ? el('p', {}, ['asked at ' + s.interrupt.node + ': ', el('span', {}, question(s.interrupt.payload))]) : null,
      changes.length ? el('table', { class: 'changes' }, [el('thead', {}, el('tr', {}, [el('th', {}, 'changed'), el('th', {}, 'before'), el('th', {}, 'after')])), el('tbody', {}, changes)]) : el('p', { class: 'muted' }, 'No change to the state.'),
    ]);
    return details;
  }

  window.addEventListener('hashchange', route);
  route();
})();
`;
