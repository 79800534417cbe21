import { errors } from '../core/errors.ts';

/**
 * Stripe's search query language, parsed into clauses:
 *   email:"jenny@example.com"   exact (case-insensitive for text)
 *   name~"jen"                  substring, at least 3 characters
 *   created>1700000000          numeric comparison (>, <, >=, <=)
 *   metadata["plan"]:"pro"      metadata key
 *   -email:"x"                  negation
 * joined by AND or OR (not both), at most 10 clauses.
 */
export type Operator = ':' | '~' | '>' | '<' | '>=' | '<=';

export interface Clause {
  field: string;
  /** For `metadata["key"]`. */
  key?: string;
  operator: Operator;
  value: string | number | null;
  negated: boolean;
}

export interface SearchQuery {
  clauses: Clause[];
  join: 'AND' | 'OR';
}

const MAX_CLAUSES = 10;

function fail(message: string): never {
  throw errors.parameterInvalid('query', message);
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  done() {
    this.skipSpace();
    return this.pos >= this.text.length;
  }
  peek(s: string) {
    return this.text.startsWith(s, this.pos);
  }
  quoted(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'")
      fail(`Invalid query: expected a quoted string at position ${this.pos}.`);
    let out = '';
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\' && this.pos + 1 < this.text.length) this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) fail('Invalid query: a quoted string is not closed.');
    this.pos++;
    return out;
  }
  word(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.text.slice(this.pos));
    if (!m) fail(`Invalid query: expected a field name at position ${this.pos}.`);
    this.pos += m[0].length;
    return m[0];
  }
}

function clause(s: Scanner): Clause {
  s.skipSpace();
  const negated = s.peek('-');
  if (negated) s.pos++;
  const field = s.word();
  let key: string | undefined;
  if (s.peek('[')) {
    s.pos++;
    key = s.quoted();
    if (!s.peek(']')) fail('Invalid query: expected ] after the metadata key.');
    s.pos++;
  }
  const operator = (['>=', '<=', ':', '~', '>', '<'] as const).find((op) => s.peek(op));
  if (!operator) fail(`Invalid query: expected an operator (:, ~, >, <, >=, <=) after ${field}.`);
  s.pos += operator.length;
  let value: string | number | null;
  if (s.peek('"') || s.peek("'")) value = s.quoted();
  else {
    const m = /^-?\d+/.exec(s.text.slice(s.pos));
    if (m) {
      value = Number(m[0]);
      s.pos += m[0].length;
    } else if (s.peek('null')) {
      value = null;
      s.pos += 4;
    } else fail(`Invalid query: the value for ${field} must be quoted.`);
  }
  if (operator === '~' && (typeof value !== 'string' || value.length < 3)) {
    fail('Invalid query: substring matches (~) need a quoted value of at least 3 characters.');
  }
  return { field, ...(key !== undefined ? { key } : {}), operator, value, negated };
}

export function parseSearchQuery(text: string): SearchQuery {
  if (text.includes('\u0000')) fail('Invalid query: the query contains a NUL character.');
  const s = new Scanner(text);
  const clauses = [clause(s)];
  let join: 'AND' | 'OR' | undefined;
  while (!s.done()) {
    const m = /^(AND|OR)\s/i.exec(s.text.slice(s.pos));
    if (!m) fail(`Invalid query: expected AND or OR at position ${s.pos}.`);
    const word = m[1]!.toUpperCase() as 'AND' | 'OR';
    if (join && join !== word) fail('Invalid query: AND and OR cannot be combined in one query.');
    join = word;
    s.pos += m[1]!.length;
    clauses.push(clause(s));
    if (clauses.length > MAX_CLAUSES) fail(`Invalid query: at most ${MAX_CLAUSES} clauses are allowed.`);
  }
  return { clauses, join: join ?? 'AND' };
}
