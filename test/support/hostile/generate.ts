import type { Schema } from '../../../src/core/params.ts';
import { API_VERSION } from '../../../src/core/version.ts';
import type { Fixtures } from './fixtures.ts';
import { pathParams, type ServedRoute } from './routes.ts';
import {
  BOOLEANS,
  badIds,
  CURRENCIES,
  CURSORS,
  EXPANDS,
  NUMBERS,
  Raw,
  type Rng,
  SEARCH_QUERIES,
  STRINGS,
  TIMESTAMPS,
  type Value,
} from './values.ts';

/** One request of the sweep, described before it is sent. */
export interface HostileRequest {
  /** Which kind of hostility it carries; failures are reported by family. */
  family: string;
  method: string;
  /** The request target, already encoded (path and query). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** When set, these bytes go over a socket of their own instead (what no HTTP client sends). */
  raw?: Buffer;
  route: ServedRoute | undefined;
  /** The top-level names of the params sent, which a refusal's `param` must come from. */
  sent: Set<string>;
  /** A family's exact expectation, checked beside the general rules. */
  expect?: { status: number; code?: string; param?: string };
}

type Pair = [string, Value];

export function encode(value: Value): string {
  if (value instanceof Raw) return value.text;
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: sent as the replacement character's bytes, as a browser would.
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

/** `items[0][price]` with each name encoded and the brackets kept. */
function encodeKey(key: string): string {
  return key.replace(/[^[\]]+/g, (part) => encode(part));
}

export function formOf(pairs: Pair[]): string {
  return pairs.map(([k, v]) => `${encodeKey(k)}=${encode(v)}`).join('&');
}

const rootOf = (key: string) => key.split('[')[0]!;

interface Leaf {
  path: string;
  schema: Schema<unknown>;
}

/** The params a schema takes, flattened to bracket paths, three levels deep. */
function leaves(schema: Schema<unknown> | undefined, path = '', depth = 0): Leaf[] {
  const shape = schema?.shape;
  if (!schema || !shape) return [];
  const child = (k: string | number) => (path ? `${path}[${k}]` : String(k));
  if (depth > 3) return [{ path, schema }];
  if (shape.kind === 'object') {
    const out: Leaf[] = path ? [{ path, schema }] : [];
    for (const [k, s] of Object.entries(shape.fields)) out.push(...leaves(s, child(k), depth + 1));
    return out;
  }
  if (shape.kind === 'array') return [{ path, schema }, ...leaves(shape.item, child(0), depth + 1)];
  if (shape.kind === 'record') return [{ path, schema }, ...leaves(shape.item, child('usd'), depth + 1)];
  return [{ path, schema }];
}

const leafCache = new Map<Schema<unknown>, Leaf[]>();
function leavesOf(route: ServedRoute): Leaf[] {
  if (!route.params) return [];
  let found = leafCache.get(route.params);
  if (!found) {
    found = leaves(route.params);
    leafCache.set(route.params, found);
  }
  return found;
}

/** Names every API resource uses, for routes without a schema to walk (the portal's forms). */
const COMMON = [
  'email',
  'name',
  'amount',
  'quantity',
  'currency',
  'customer',
  'price',
  'metadata[k]',
  'limit',
];

/** A value of the wrong kind or out of range for what the leaf expects. */
function hostileValue(rng: Rng, leaf: Leaf | undefined): Value {
  const kind = leaf?.schema.shape?.kind;
  if (rng.chance(0.15)) return rng.pick(rng.chance(0.5) ? NUMBERS : STRINGS);
  switch (kind) {
    case 'integer':
    case 'decimal':
      return rng.pick(NUMBERS);
    case 'timestamp':
    case 'range':
      return rng.pick(TIMESTAMPS);
    case 'boolean':
      return rng.pick(BOOLEANS);
    case 'enum':
      return rng.chance(0.3) ? rng.pick(CURRENCIES) : rng.pick(STRINGS);
    default:
      return rng.pick(STRINGS);
  }
}

/** A value that passes for the leaf, so that a hostile neighbour is what gets refused. */
function plausibleValue(rng: Rng, leaf: Leaf, fixtures: Fixtures): Value {
  const shape = leaf.schema.shape;
  const name = rootOf(leaf.path.replace(/.*\[([a-z_]+)\]$/, '$1'));
  switch (shape?.kind) {
    case 'integer':
      return rng.pick(['1', '100', '2']);
    case 'decimal':
      return '1.5';
    case 'timestamp':
      return String(Math.floor(Date.UTC(2027, 0, 15) / 1000));
    case 'boolean':
      return rng.pick(['true', 'false']);
    case 'enum':
      return rng.pick(shape.values);
    default:
      if (name === 'currency') return 'usd';
      if (['customer', 'price', 'product', 'coupon', 'subscription', 'invoice'].includes(name))
        return rng.pick(fixtures.all);
      return 'x';
  }
}

/** A field sent as the wrong structure: a hash or an array where a scalar goes, and so on. */
function wrongStructure(rng: Rng, key: string): Pair[] {
  switch (rng.int(6)) {
    case 0:
      return [[`${key}[]`, '1']];
    case 1:
      return [[`${key}[x]`, '1']];
    case 2:
      return [[`${key}[999999999]`, '1']];
    case 3:
      return [[`${key}[-1]`, '1']];
    case 4:
      return [
        [`${key}[0]`, '1'],
        [`${key}[a]`, '2'],
      ];
    default:
      return [[`${key}${'[a]'.repeat(40 + rng.int(200))}`, '1']];
  }
}

/** Values for the route's own params: one or two hostile, a few plausible beside them. */
function fieldPairs(rng: Rng, route: ServedRoute, fixtures: Fixtures): Pair[] {
  const all = leavesOf(route);
  if (all.length === 0) {
    const key = rng.pick(COMMON);
    return rng.chance(0.3) ? wrongStructure(rng, key) : [[key, hostileValue(rng, undefined)]];
  }
  const pairs: Pair[] = [];
  for (let i = 0; i < 1 + rng.int(3); i++) {
    const leaf = rng.pick(all);
    if (leaf.schema.shape?.kind === 'object' || leaf.schema.shape?.kind === 'metadata') {
      pairs.push(
        rng.chance(0.5) ? [leaf.path, hostileValue(rng, leaf)] : [`${leaf.path}[${rng.word(3)}]`, 'x'],
      );
    } else if (rng.chance(0.2)) pairs.push(...wrongStructure(rng, leaf.path));
    else pairs.push([leaf.path, hostileValue(rng, leaf)]);
  }
  for (let i = 0; i < rng.int(4); i++) {
    const leaf = rng.pick(all);
    if (leaf.schema.shape?.kind !== 'object') pairs.push([leaf.path, plausibleValue(rng, leaf, fixtures)]);
  }
  return pairs;
}

/** Nesting, sheer numbers of params, repeated names, brackets in every wrong place. */
function structurePairs(rng: Rng): Pair[] {
  switch (rng.int(7)) {
    case 0:
      return [[`metadata${'[a]'.repeat(100 + rng.int(2000))}`, 'x']];
    case 1:
      return Array.from({ length: 200 + rng.int(2000) }, (_, i): Pair => [`metadata[k${i}]`, 'v']);
    case 2:
      return Array.from({ length: 50 + rng.int(500) }, (_, i): Pair => [`p${i}`, 'v']);
    case 3:
      return [
        ['email', 'a@example.com'],
        ['email', 'b@example.com'],
        ['email[]', 'c'],
      ];
    case 4:
      return [[rng.pick(['[', ']', '[]', '][', 'a]b[', 'a[b', '[0]', 'a[]]', 'a[[b]]']), 'x']];
    case 5:
      return [[`items[${rng.pick(['1e3', '0x1', '00', '９', ' 0', '4294967296'])}][price]`, 'x']];
    default:
      return Array.from({ length: 100 + rng.int(500) }, (_, i): Pair => [`items[${i}][price]`, 'price_x']);
  }
}

/** Replaces each `:param` of a route with a real id (or, for the `ids` family, a bad one). */
function fillPath(rng: Rng, route: ServedRoute, fixtures: Fixtures, bad: boolean): string {
  let path = route.path;
  for (const name of pathParams(route.path)) {
    const before = path.slice(0, path.indexOf(`:${name}`) - 1);
    const segment = before.split('/').pop() ?? '';
    let value: Value;
    if (bad) value = rng.chance(0.15) ? rng.pick(fixtures.all) : rng.pick(badIds(rng));
    else value = realParam(rng, name, segment, fixtures);
    path = path.replace(`:${name}`, encode(value));
  }
  return path;
}

function realParam(rng: Rng, name: string, segment: string, fixtures: Fixtures): Value {
  const listed = (suffix: string) =>
    [...fixtures.ids].find(([list]) => list.endsWith(`/${suffix}`))?.[1] ?? fixtures.all;
  switch (name) {
    case 'sid':
      return fixtures.portal.sid;
    case 'invoice':
      return fixtures.hostedInvoice.invoice;
    case 'secret':
      return fixtures.hostedInvoice.secret;
    case 'kind':
      return rng.pick(['logo', 'icon']);
    case 'pm':
    case 'payment_method':
      return rng.pick(listed('payment_methods'));
    case 'seti':
      return rng.pick(listed('setup_intents'));
    case 'tax_id':
      return rng.pick(listed('tax_ids'));
    case 'token':
    case 'name':
      return rng.word(30);
    default:
      return rng.pick(listed(segment));
  }
}

const isApi = (route: ServedRoute) => route.path.startsWith('/v1/');

export interface Generator {
  next(): HostileRequest;
}

/**
 * The sweep's requests, drawn from `rng`: each one a route the server serves (or none, for
 * unknown URLs) with one family of hostility. The same seed gives the same sequence of shapes.
 */
export function generator(rng: Rng, routes: ServedRoute[], fixtures: Fixtures, key: string): Generator {
  const families: [string, number][] = [
    ['fields', 40],
    ['structure', 8],
    ['ids', 12],
    ['expand', 5],
    ['pagination', 5],
    ['search', 5],
    ['idempotency', 4],
    ['body', 7],
    ['auth', 5],
    ['version', 3],
    ['method', 2],
    ['unknown-param', 3],
    ['raw', 1],
  ];
  const total = families.reduce((s, [, w]) => s + w, 0);
  const lists = routes.filter((r) => r.method === 'GET' && isApi(r) && pathParams(r.path).length === 0);
  const searches = routes.filter((r) => r.path.endsWith('/search'));
  const posts = routes.filter((r) => r.method === 'POST' && isApi(r));
  // An invoice PDF costs a few hundred milliseconds to render whatever the params: drawn rarely.
  const cheap = routes.filter((r) => !r.path.endsWith('/pdf'));
  const pickRoute = () => rng.pick(rng.chance(0.002) ? routes : cheap);
  const family = () => {
    let n = rng.int(total);
    for (const [name, w] of families) {
      n -= w;
      if (n < 0) return name;
    }
    return 'fields';
  };
  return {
    next() {
      const f = family();
      let route = pickRoute();
      if (f === 'pagination') route = rng.pick(lists);
      if (f === 'search') route = rng.pick(searches);
      if (f === 'idempotency') route = rng.pick(posts);
      const headers: Record<string, string> = {};
      if (isApi(route) || rng.chance(0.1)) headers.authorization = `Bearer ${key}`;
      if (!isApi(route) && rng.chance(0.8)) headers.cookie = fixtures.portal.cookie;
      let pairs: Pair[] = [];
      let method: string = route.method;
      let path = fillPath(rng, route, fixtures, f === 'ids');
      let expect: HostileRequest['expect'];
      let body: Buffer | undefined;
      let inQuery = method !== 'POST' || rng.chance(0.1);
      switch (f) {
        case 'fields':
          pairs = fieldPairs(rng, route, fixtures);
          if (!isApi(route) && method === 'POST' && rng.chance(0.7))
            pairs.push(['_csrf', fixtures.portal.csrf]);
          break;
        case 'structure':
          pairs = structurePairs(rng);
          break;
        case 'ids':
          if (rng.chance(0.3)) pairs = [['expand[]', rng.pick(EXPANDS)]];
          break;
        case 'expand':
          pairs = Array.from(
            { length: 1 + rng.int(rng.chance(0.1) ? 200 : 3) },
            (): Pair => ['expand[]', rng.pick(EXPANDS)],
          );
          if (rng.chance(0.2)) pairs = [['expand', rng.pick(EXPANDS)]];
          break;
        case 'pagination':
          pairs = [
            [
              rng.pick(['starting_after', 'ending_before', 'limit', 'created[gte]', 'created']),
              rng.pick([...CURSORS, ...NUMBERS]),
            ],
          ];
          if (rng.chance(0.3)) pairs.push(['ending_before', rng.pick(fixtures.all)], ['starting_after', 'x']);
          break;
        case 'search':
          pairs = [['query', rng.pick(SEARCH_QUERIES)]];
          if (rng.chance(0.3)) pairs.push([rng.pick(['page', 'limit']), rng.pick([...CURSORS, ...NUMBERS])]);
          break;
        case 'idempotency':
          headers['idempotency-key'] = rng.pick([
            '',
            'x'.repeat(256),
            'k'.repeat(255),
            ' ',
            '\xe9\xff',
            `k-${rng.int(5)}`,
          ]);
          pairs = [['description', rng.word(4)]];
          break;
        case 'body':
          method = 'POST';
          route = rng.pick(posts);
          path = fillPath(rng, route, fixtures, false);
          ({ body, type: headers['content-type'] } = hostileBody(rng));
          if (headers['content-type'] === '') delete headers['content-type'];
          inQuery = true;
          break;
        case 'auth':
          headers.authorization = rng.pick([
            '',
            'Bearer',
            'Bearer ',
            'Bearer sk_test_wrong',
            `Bearer ${key}x`,
            `Bearer ${key.replace('sk_test', 'sk_live')}`,
            `Bearer ${key.replace('sk_test', 'pk_test')}`,
            `Bearer ${key.replace('sk_test', 'rk_test')}`,
            `Basic ${Buffer.from(':').toString('base64')}`,
            `Basic ${Buffer.from(`${key}:`).toString('base64')}x`,
            'Basic !!!',
            `Bearer ${'k'.repeat(4000)}`,
            `bearer ${key}`,
            `Token ${key}`,
          ]);
          if (headers.authorization === '') delete headers.authorization;
          if (
            isApi(route) &&
            !['bearer', 'Basic ', 'Token'].some((p) => headers.authorization?.startsWith(p))
          )
            expect = { status: 401 };
          break;
        case 'version':
          headers['stripe-version'] = rng.pick([
            'garbage',
            '2020-01-01.x.y',
            '',
            `${API_VERSION}; x`,
            'v'.repeat(3000),
          ]);
          if (headers['stripe-version'] === '') delete headers['stripe-version'];
          if (rng.chance(0.3))
            headers['stripe-account'] = rng.pick(['acct_nope', '', 'x'.repeat(500), rng.pick(fixtures.all)]);
          break;
        case 'method':
          method = rng.pick(['PUT', 'PATCH', 'OPTIONS', 'DELETE', 'POST', 'TRACE']);
          if (rng.chance(0.3)) path = `/v1/${rng.word(8)}`;
          break;
        case 'unknown-param': {
          const name = `zz_${rng.word(6)}`;
          pairs = [[name, 'x']];
          if (isApi(route) && route.params?.shape?.kind === 'object' && f === 'unknown-param')
            expect = { status: 400, code: 'parameter_unknown', param: name };
          break;
        }
        case 'raw':
          return rawRequest(rng, route, path, key);
      }
      const form = formOf(pairs);
      let url = path;
      if (inQuery && form) url += `?${form}`;
      else if (!body && form && method === 'POST') {
        body = Buffer.from(form);
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      if (!isApi(route) && method === 'POST' && rng.chance(0.5)) headers['sec-fetch-site'] = 'same-origin';
      // An exact expectation holds only where nothing else in the request is wrong first.
      if (expect && (method !== route.method || (f === 'unknown-param' && inQuery && method === 'POST')))
        expect = undefined;
      const sent = new Set(pairs.map(([k]) => rootOf(k)));
      // A hostile body may still be read as a form: its names count as sent.
      if (body)
        for (const [k] of body.toString('latin1').matchAll(/(?:^|&)([^=&[]+)/g))
          sent.add(k.replace(/^&/, ''));
      return { family: f, method, url, headers, body, route, sent, expect };
    },
  };
}

/** Bodies of the wrong kind, or the right kind badly made. */
function hostileBody(rng: Rng): { body: Buffer; type: string } {
  const form = 'application/x-www-form-urlencoded';
  switch (rng.int(10)) {
    case 0:
      return { body: Buffer.from('{"name":"x","amount":9007199254740993}'), type: 'application/json' };
    case 1:
      return { body: Buffer.from('{"name":'), type: 'application/json; charset=utf-8' };
    case 2:
      return { body: Buffer.from('name=x'), type: 'text/plain' };
    case 3:
      return {
        body: Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'),
        type: 'multipart/form-data; boundary=x',
      };
    case 4:
      return { body: Buffer.from('name=x'), type: 'multipart/form-data' };
    case 5:
      return { body: Buffer.from([0x6e, 0x3d, 0xff, 0xfe, 0x00, 0xc0, 0xaf]), type: form };
    case 6:
      return { body: Buffer.from('name=x'), type: `${form}; charset=utf-16` };
    case 7:
      return { body: Buffer.alloc(1024 * 1024 + 10, 'a'), type: form };
    case 8:
      return { body: Buffer.from('name=x'), type: '' };
    default:
      return { body: Buffer.from('<xml>x</xml>'), type: 'application/xml' };
  }
}

/** What only a hand-written request carries: broken framing, bytes no client library would send. */
function rawRequest(rng: Rng, route: ServedRoute, path: string, key: string): HostileRequest {
  const auth = `Authorization: Bearer ${key}\r\n`;
  const choices: [string, string][] = [
    ['nul-in-header', `GET ${path} HTTP/1.1\r\nHost: x\r\n${auth}X-A: a\u0000b\r\n\r\n`],
    ['raw-bytes-in-url', `GET ${path}?email=\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
    ['space-in-url', `GET ${path}?a b HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
    [
      'bad-chunked',
      `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nname=x\r\n0\r\n\r\n`,
    ],
    [
      'short-body',
      `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\nConnection: close\r\n\r\nname=x`,
    ],
    ['http-1.0', `GET ${path} HTTP/1.0\r\n${auth}\r\n`],
    ['duplicate-auth', `GET ${path} HTTP/1.1\r\nHost: x\r\n${auth}${auth}\r\n`],
    ['oversized-url', `GET ${path}?q=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
    ['oversized-header', `GET ${path} HTTP/1.1\r\nHost: x\r\n${auth}X-Big: ${'b'.repeat(70_000)}\r\n\r\n`],
  ];
  const [name, text] = rng.pick(choices);
  return {
    family: `raw:${name}`,
    method: 'RAW',
    url: path,
    headers: {},
    raw: Buffer.from(text, 'latin1'),
    route,
    sent: new Set(),
  };
}
