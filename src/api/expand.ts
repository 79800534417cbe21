import type { Ctx } from '../core/context.ts';
import { fail } from '../core/errors.ts';

/**
 * `expand[]`: replaces ids with the objects they name, through nested hashes (`invoice_settings.
 * default_payment_method`), lists (`data.customer`) and already-expanded objects, up to four
 * levels. Each resource's routes declare which of its fields expand and how to load an id by
 * prefix (an ExpansionSpec); the specs together make the Expansions the server is built with.
 */
type Loader = (ctx: Ctx, id: string) => Promise<object | undefined>;
type Compute = (ctx: Ctx, node: Record<string, unknown>) => Promise<object>;

export interface ExpansionSpec {
  /** How to load an object from its id, by the id's prefix (`cus` for customers). */
  loaders?: Record<string, Loader>;
  /** The expandable fields of each object type, as paths relative to the object. */
  expandable?: Record<string, string[]>;
  /** Loaders for fields whose ids carry no prefix (coupons, whose ids callers choose), by type and field. */
  fieldLoaders?: Record<string, Record<string, Loader>>;
  /**
   * Fields Stripe leaves out unless expanded, which Portico always includes when set: expanding
   * them is accepted and changes nothing.
   */
  included?: Record<string, string[]>;
  /**
   * Fields Stripe includes only when expanded and whose value comes from other objects (a
   * customer's `tax_ids`), by type and field: worked out from the object when `expand[]` names it.
   */
  computed?: Record<string, Record<string, Compute>>;
}

/** What `expand[]` can do, gathered from every resource's ExpansionSpec. */
export interface Expansions {
  loaders: Map<string, Loader>;
  expandable: Map<string, Set<string>>;
  included: Map<string, Set<string>>;
  /** By `type:field`. */
  fieldLoaders: Map<string, Loader>;
  /** By `type:field`. */
  computed: Map<string, Compute>;
}

function addOnce<T>(map: Map<string, T>, key: string, value: T, what: string): void {
  if (map.has(key)) throw new Error(`expansions: two ${what} for ${key}`);
  map.set(key, value);
}

function addFields(map: Map<string, Set<string>>, byType: Record<string, string[]> | undefined): void {
  for (const [type, fields] of Object.entries(byType ?? {})) {
    const set = map.get(type) ?? new Set<string>();
    for (const f of fields) set.add(f);
    map.set(type, set);
  }
}

export function buildExpansions(specs: ExpansionSpec[]): Expansions {
  const x: Expansions = {
    loaders: new Map(),
    expandable: new Map(),
    included: new Map(),
    fieldLoaders: new Map(),
    computed: new Map(),
  };
  for (const spec of specs) {
    for (const [prefix, loader] of Object.entries(spec.loaders ?? {})) {
      addOnce(x.loaders, prefix, loader, 'loaders');
    }
    addFields(x.expandable, spec.expandable);
    addFields(x.included, spec.included);
    for (const [type, fields] of Object.entries(spec.fieldLoaders ?? {})) {
      for (const [field, loader] of Object.entries(fields)) {
        addOnce(x.fieldLoaders, `${type}:${field}`, loader, 'field loaders');
      }
    }
    for (const [type, fields] of Object.entries(spec.computed ?? {})) {
      for (const [field, compute] of Object.entries(fields)) {
        addOnce(x.computed, `${type}:${field}`, compute, 'computed fields');
      }
    }
  }
  return x;
}

const MAX_DEPTH = 4;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function prefixOf(id: string): string {
  return id.slice(0, id.lastIndexOf('_'));
}

export function checkExpandPaths(paths: string[]): void {
  for (const path of paths) {
    if (path.split('.').length > MAX_DEPTH) {
      throw fail('expand_too_deep', {}, 'expand');
    }
  }
}

export async function expand(
  x: Expansions,
  ctx: Ctx,
  root: object,
  paths: string[] | undefined,
): Promise<void> {
  if (!paths || paths.length === 0) return;
  checkExpandPaths(paths);
  // Shorter paths first, so `a` is expanded before `a.b` walks through it.
  const sorted = [...new Set(paths)].sort((a, b) => a.split('.').length - b.split('.').length);
  for (const path of sorted) {
    const node = root as Node;
    await walk(x, ctx, node, path.split('.'), 0, String(node.object), '', path);
  }
}

async function walk(
  x: Expansions,
  ctx: Ctx,
  node: Node,
  segments: string[],
  i: number,
  type: string,
  relative: string,
  full: string,
): Promise<void> {
  if (i >= segments.length) return;
  const segment = segments[i]!;
  const cannot = () => fail('expand_not_expandable', { path: segments.slice(0, i + 1).join('.') }, 'expand');
  if ((node.object === 'list' || node.object === 'search_result') && segment === 'data' && !relative) {
    for (const item of (node.data as Node[]) ?? []) {
      if (i + 1 < segments.length) await walk(x, ctx, item, segments, i + 1, String(item.object), '', full);
    }
    return;
  }
  // Search results count their matches when asked with `expand[]=total_count`; the search
  // endpoint fills the field itself.
  if (node.object === 'search_result' && segment === 'total_count' && i === 0) return;
  const field = relative ? `${relative}.${segment}` : segment;
  if (x.included.get(type)?.has(field) && i === segments.length - 1) return;
  const compute = relative ? undefined : x.computed.get(`${type}:${segment}`);
  if (compute && node[segment] === undefined) node[segment] = await compute(ctx, node);
  // A computed field named last is complete as computed (a customer's `tax` is a plain hash).
  if (compute && i === segments.length - 1) return;
  const value = node[segment];
  const last = i === segments.length - 1;
  // Whether a field expands does not depend on its value: null passes only where it could.
  if (last && !isNode(value) && !x.expandable.get(type)?.has(field)) throw cannot();
  if (value === null) return;
  // Arrays of ids (`discounts`) expand element by element.
  if (Array.isArray(value)) {
    if (!x.expandable.get(type)?.has(field)) throw cannot();
    for (let k = 0; k < value.length; k++) {
      const holder: Node = { [segment]: value[k] };
      await walk(x, ctx, holder, [segment, ...segments.slice(i + 1)], 0, type, relative, full);
      value[k] = holder[segment];
    }
    return;
  }
  if (typeof value === 'string') {
    if (!x.expandable.get(type)?.has(field)) throw cannot();
    const loader = x.fieldLoaders.get(`${type}:${field}`) ?? x.loaders.get(prefixOf(value));
    const loaded = loader ? await loader(ctx, value) : undefined;
    if (!loaded) return;
    node[segment] = loaded;
    await walk(x, ctx, loaded as Node, segments, i + 1, String((loaded as Node).object), '', full);
    return;
  }
  if (isNode(value)) {
    if (typeof value.object === 'string') {
      await walk(x, ctx, value, segments, i + 1, value.object, '', full);
    } else if (i + 1 < segments.length) {
      await walk(x, ctx, value, segments, i + 1, type, field, full);
    } else throw cannot();
    return;
  }
  throw cannot();
}
