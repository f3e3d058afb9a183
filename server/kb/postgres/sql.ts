/**
 * The KB layer's SQL is written once, in the subset SQLite and PostgreSQL share, with SQLite's `?` and `@name`
 * placeholders. This turns a statement into PostgreSQL's form: `$1, $2 …` placeholders, camelCase aliases
 * quoted (PostgreSQL folds unquoted names to lower case, so `AS entryId` would come back as `entryid`), and
 * SQLite's `CROSS JOIN … ON` (a join order hint) as a plain join.
 */
export interface PgStatementText {
  text: string;
  /** For `@name` placeholders: the parameter name of each $n, in order; null when the statement uses `?`. */
  names: string[] | null;
}

/** Splits SQL into code and literal parts ('strings', "identifiers", -- comments), so rewriting never touches literals. */
function parts(sql: string): Array<{ code: boolean; text: string }> {
  const out: Array<{ code: boolean; text: string }> = [];
  let i = 0;
  let start = 0;
  const push = (code: boolean, end: number) => {
    if (end > start) out.push({ code, text: sql.slice(start, end) });
    start = end;
  };
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      push(true, i);
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      i = j + 1;
      push(false, Math.min(i, sql.length));
    } else if (ch === '-' && sql[i + 1] === '-') {
      push(true, i);
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      push(false, i);
    } else i++;
  }
  push(true, sql.length);
  return out;
}

const CAMEL_ALIAS = /\b[Aa][Ss]\s+([a-z_][A-Za-z0-9_]*[A-Z][A-Za-z0-9_]*)\b/g;

export function toPostgres(sql: string): PgStatementText {
  const pieces = parts(sql);
  const aliases = new Set<string>();
  for (const p of pieces) if (p.code) for (const m of p.text.matchAll(CAMEL_ALIAS)) aliases.add(m[1]);
  const aliasRe = aliases.size ? new RegExp(`(?<![."\\w])(${[...aliases].join('|')})(?![\\w"])`, 'g') : null;
  let n = 0;
  const names: string[] = [];
  let named = false;
  const text = pieces
    .map((p) => {
      if (!p.code) return p.text;
      let t = p.text.replace(/\?|@([A-Za-z_]\w*)/g, (_m, name?: string) => {
        if (!name) return `$${++n}`;
        named = true;
        let k = names.indexOf(name);
        if (k < 0) k = names.push(name) - 1;
        return `$${k + 1}`;
      });
      if (aliasRe) t = t.replace(aliasRe, '"$1"');
      // SQLite's `CROSS JOIN … ON` is an inner join whose order the planner keeps; PostgreSQL plans it itself
      t = t.replace(/\bCROSS JOIN\b(?=[^()]*?\bON\b)/g, 'JOIN');
      return t;
    })
    .join('');
  return { text, names: named ? names : null };
}

/** Parameters as node-postgres takes them: `@name` statements get one object; undefined is NULL, as in SQLite. */
export function pgValues(stmt: PgStatementText, params: unknown[]): unknown[] {
  const values =
    stmt.names && params.length === 1 && params[0] !== null && typeof params[0] === 'object'
      ? stmt.names.map((k) => (params[0] as Record<string, unknown>)[k])
      : params;
  return values.map(pgValue);
}

/**
 * One parameter as PostgreSQL takes it. PostgreSQL text cannot hold U+0000, which SQLite stores: it is dropped
 * (it is never meaningful in a question or an entry, and refusing the statement would lose the rest of the text).
 */
export function pgValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && v.includes('\u0000')) return v.replace(/\u0000/g, '');
  return v;
}
