import { fail } from '../core/errors.ts';

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
    if (quote !== '"' && quote !== "'") throw fail('search_string_expected', { position: this.pos }, 'query');
    let out = '';
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\' && this.pos + 1 < this.text.length) this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) throw fail('search_string_unclosed', {}, 'query');
    this.pos++;
    return out;
  }
  word(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.text.slice(this.pos));
    if (!m) throw fail('search_field_expected', { position: this.pos }, 'query');
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
    if (!s.peek(']')) throw fail('search_metadata_key_unclosed', {}, 'query');
    s.pos++;
  }
  const operator = (['>=', '<=', ':', '~', '>', '<'] as const).find((op) => s.peek(op));
  if (!operator) throw fail('search_operator_expected', { field }, 'query');
  s.pos += operator.length;
  let value: string | number | null;
  if (s.peek('"') || s.peek("'")) value = s.quoted();
  else {
    const m = /^-?\d+/.exec(s.text.slice(s.pos));
    if (m) {
      value = Number(m[0]);
      // Searchable numbers are timestamps and amounts: past the exact integers, none can match,
      // and the stores cannot compare them (PostgreSQL's bigint ends before).
      if (!Number.isSafeInteger(value)) throw fail('search_integer_out_of_range', { field }, 'query');
      s.pos += m[0].length;
    } else if (s.peek('null')) {
      value = null;
      s.pos += 4;
    } else throw fail('search_value_unquoted', { field }, 'query');
  }
  if (operator === '~' && (typeof value !== 'string' || value.length < 3)) {
    throw fail('search_substring_too_short', {}, 'query');
  }
  return { field, ...(key !== undefined ? { key } : {}), operator, value, negated };
}

export function parseSearchQuery(text: string): SearchQuery {
  if (text.includes('\u0000')) throw fail('search_nul_character', {}, 'query');
  const s = new Scanner(text);
  const clauses = [clause(s)];
  let join: 'AND' | 'OR' | undefined;
  while (!s.done()) {
    const m = /^(AND|OR)\s/i.exec(s.text.slice(s.pos));
    if (!m) throw fail('search_join_expected', { position: s.pos }, 'query');
    const word = m[1]!.toUpperCase() as 'AND' | 'OR';
    if (join && join !== word) throw fail('search_join_mixed', {}, 'query');
    join = word;
    s.pos += m[1]!.length;
    clauses.push(clause(s));
    if (clauses.length > MAX_CLAUSES) throw fail('search_too_many_clauses', { max: MAX_CLAUSES }, 'query');
  }
  return { clauses, join: join ?? 'AND' };
}
