/**
 * The hostile values the sweep draws from, by what a field expects. Every pool mixes values of
 * the right kind that are out of range with values of the wrong kind altogether.
 */

/** A value already percent-encoded (bytes that are not UTF-8, a lone `%`), sent as is. */
export class Raw {
  constructor(readonly text: string) {}
}

export type Value = string | Raw;

/** Deterministic numbers from a seed (mulberry32): the same seed, the same sweep. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A base62 string of `length` characters. */
  word(length: number): string {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[this.int(62)];
    return s;
  }
}

export const NUMBERS: readonly Value[] = [
  '9007199254740993',
  '-9007199254740993',
  '9007199254740992',
  '18446744073709551616',
  '99999999999999999999999999999',
  '100000000',
  '-100000000',
  '2147483648',
  '1e308',
  '1e3',
  '1E-7',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '-0',
  '00000000000000000001',
  '0x1F',
  '0b101',
  '1.5',
  '1.',
  '.5',
  '1_000',
  '+1',
  ' 1',
  '1 ',
  '١٢٣',
  '１２３',
  '9'.repeat(400),
  '',
];

export const STRINGS: readonly Value[] = [
  '',
  ' ',
  'a'.repeat(5001),
  'é'.repeat(2600),
  'a'.repeat(40_000),
  'a\u0000b',
  '\u0000',
  '💳💳💳',
  '\u202Eevil',
  'e\u0301',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE customers; --',
  '%s%s%n',
  '{{7*7}}',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '\r\nSet-Cookie: x=y',
  new Raw('%'),
  new Raw('%ZZ'),
  new Raw('%FF%FE'),
  new Raw('%ED%A0%80'),
  new Raw('%C0%AF'),
  new Raw('%F4%90%80%80'),
  new Raw('a%00b'),
  new Raw('%E0%A4'),
];

export const BOOLEANS: readonly Value[] = ['yes', 'TRUE', '1', '0', 'on', 'false ', 'null', ''];

export const TIMESTAMPS: readonly Value[] = [
  'now',
  'tomorrow',
  '-1',
  '0',
  '253402300800',
  '9007199254740993',
  '1e10',
  '1700000000.5',
  '2027-01-01',
  '',
];

export const CURRENCIES: readonly Value[] = ['usd', 'USD', 'xxx', 'us', 'usdd', '', '€', 'jpy', 'bhd', 'clf'];

/** Well-formed ids of every prefix Portico makes, none of which exists. */
export const PREFIXES = [
  'acct',
  'bpc',
  'bps',
  'ch',
  'clock',
  'cus',
  'evt',
  'file',
  'ii',
  'in',
  'inpay',
  'link',
  'pi',
  'pm',
  'price',
  'prod',
  'promo',
  'seti',
  'si',
  'sub',
  'sub_sched',
  'txi',
  'we',
  'src',
  'card',
  'tok',
];

/** Path segments that are not ids: empty, too long, escapes that decode to separators or NUL. */
export function badIds(rng: Rng): Value[] {
  return [
    `${rng.pick(PREFIXES)}_${rng.word(22)}`,
    `${rng.pick(PREFIXES)}_`,
    `cus_${'x'.repeat(6000)}`,
    'x'.repeat(300),
    new Raw('cus_%00'),
    new Raw('%2F..%2F..%2Fetc'),
    new Raw('%FF'),
    new Raw('cus_%E2%80%AE'),
    new Raw('%25'),
    new Raw('%20'),
    new Raw('..'),
    new Raw('.'),
    '1',
    '-1',
    'null',
    '__proto__',
  ];
}

export const EXPANDS: readonly Value[] = [
  'nope',
  '',
  'customer',
  'data.customer',
  'customer.default_source.x.y.z.a.b.c',
  'a.b.c.d.e.f.g.h.i.j.k',
  '__proto__',
  'customer.__proto__',
  'latest_invoice.payment_intent.latest_charge.customer.invoice_settings',
  '*',
  'data',
  'data.*',
  '.',
  'customer..id',
];

export const SEARCH_QUERIES: readonly Value[] = [
  '',
  'email:',
  "email:'unterminated",
  'email:"x" AND',
  'email:"x" AND name:"y" OR metadata["k"]:"v"',
  '(((((((((((email:"x")))))))))))',
  'metadata[]:"x"',
  "metadata['a']:'b'",
  'created>9007199254740993',
  'amount>1e308',
  'created>"abc"',
  'nope:"x"',
  '-email:"x"',
  'email~"x"',
  'email:"\\"',
  'email:"💳"',
  `email:"${'a'.repeat(5000)}"`,
  `${'email:"x" AND '.repeat(200)}email:"y"`,
  'email:null',
  new Raw('email:%00'),
];

export const CURSORS: readonly Value[] = [
  '',
  'cus_doesnotexist',
  'x'.repeat(6000),
  new Raw('%FF'),
  'eyJzZXEiOjF9',
  '-1',
  '__proto__',
];
