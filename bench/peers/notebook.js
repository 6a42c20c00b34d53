// The seed notebook's definitions (shared/FORMAT.md), as a plain-JavaScript user writes them:
// rows, turns = len(conversations), tool calls found by the call regex in gpt turns only (a call
// whose JSON does not parse is the tool `<malformed>`), calls per tool, and think blocks.
const THINK = /<think>([\s\S]*?)<\/think>/g;
const CALL = /<tool_call>\s*(\{[\s\S]*?\})\s*<\/tool_call>/g;

export function newFigures() {
  return { rows: 0, turns: 0, tool_calls: 0, think_blocks: 0, tool_counts: new Map() };
}

/** Python's json.dumps (default separators, ensure_ascii) of a JSON value: a non-string name. */
function pyDumps(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') {
    return '"' + v.replace(/[\\"\u0000-\u001f\u007f-\uffff]/g, (c) => ({
      '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
    }[c] ?? (c === '\u007f' ? c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')))) + '"';
  }
  if (Array.isArray(v)) return '[' + v.map(pyDumps).join(', ') + ']';
  if (typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => pyDumps(k) + ': ' + pyDumps(x)).join(', ') + '}';
  return String(v);
}

/** The tool name of one call's JSON text, as the notebook reads it. */
function callName(text) {
  let call;
  try { call = JSON.parse(text); } catch { return '<malformed>'; }
  if (call === null || typeof call !== 'object' || Array.isArray(call) || !Object.hasOwn(call, 'name')) return '<malformed>';
  return typeof call.name === 'string' ? call.name : pyDumps(call.name);
}

/** Adds one row's `conversations` (a list of {from, value}). */
export function addRow(f, conversations) {
  f.rows += 1;
  f.turns += conversations.length;
  for (const m of conversations) {
    if (m.from !== 'gpt') continue;
    const value = m.value;
    for (const c of value.matchAll(CALL)) {
      const name = callName(c[1]);
      f.tool_counts.set(name, (f.tool_counts.get(name) ?? 0) + 1);
      f.tool_calls += 1;
    }
    THINK.lastIndex = 0;
    while (THINK.exec(value) !== null) f.think_blocks += 1;
  }
}

/** Plain JSON: tool counts as an object sorted by name, and the top 15 tools. */
export function finish(f) {
  const counts = [...f.tool_counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const top = [...f.tool_counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 15);
  return { ...f, tool_counts: Object.fromEntries(counts), top_tools: top };
}
