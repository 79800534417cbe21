import type { Ctx } from '../core/context.ts';
import { fail } from '../core/errors.ts';

/**
 * `expand[]`: replaces ids with the objects they name, through nested hashes (`invoice_settings.
 * default_payment_method`), lists (`data.customer`) and already-expanded objects, up to four
 * levels. Each resource registers which of its fields expand and how to load an id by prefix.
 */
type Loader = (ctx: Ctx, id: string) => Promise<object | undefined>;

const loaders = new Map<string, Loader>();
const expandable = new Map<string, Set<string>>();
const included = new Map<string, Set<string>>();
const fieldLoaders = new Map<string, Loader>();

export function registerLoader(idPrefix: string, loader: Loader): void {
  loaders.set(idPrefix, loader);
}

/** A loader for one field whose ids carry no prefix (coupons, whose ids callers choose). */
export function registerFieldLoader(objectType: string, field: string, loader: Loader): void {
  fieldLoaders.set(`${objectType}:${field}`, loader);
}

/** Declares the expandable fields of an object type, as paths relative to the object. */
export function registerExpandable(objectType: string, fields: string[]): void {
  const set = expandable.get(objectType) ?? new Set<string>();
  for (const f of fields) set.add(f);
  expandable.set(objectType, set);
}

/**
 * Declares fields Stripe leaves out unless expanded, which Portico always includes when set:
 * expanding them is accepted and changes nothing.
 */
export function registerIncluded(objectType: string, fields: string[]): void {
  included.set(objectType, new Set([...(included.get(objectType) ?? []), ...fields]));
}

type Compute = (ctx: Ctx, node: Record<string, unknown>) => Promise<object>;
const computed = new Map<string, Compute>();

/**
 * Declares a field Stripe includes only when expanded and whose value comes from other objects
 * (a customer's `tax_ids`): it is worked out from the object when `expand[]` names it.
 */
export function registerComputed(objectType: string, field: string, compute: Compute): void {
  computed.set(`${objectType}:${field}`, compute);
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

export async function expand(ctx: Ctx, root: object, paths: string[] | undefined): Promise<void> {
  if (!paths || paths.length === 0) return;
  checkExpandPaths(paths);
  // Shorter paths first, so `a` is expanded before `a.b` walks through it.
  const sorted = [...new Set(paths)].sort((a, b) => a.split('.').length - b.split('.').length);
  for (const path of sorted) {
    const node = root as Node;
    await walk(ctx, node, path.split('.'), 0, String(node.object), '', path);
  }
}

async function walk(
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
      if (i + 1 < segments.length) await walk(ctx, item, segments, i + 1, String(item.object), '', full);
    }
    return;
  }
  // Search results count their matches when asked with `expand[]=total_count`; the search
  // endpoint fills the field itself.
  if (node.object === 'search_result' && segment === 'total_count' && i === 0) return;
  const field = relative ? `${relative}.${segment}` : segment;
  if (included.get(type)?.has(field) && i === segments.length - 1) return;
  const compute = relative ? undefined : computed.get(`${type}:${segment}`);
  if (compute && node[segment] === undefined) node[segment] = await compute(ctx, node);
  const value = node[segment];
  const last = i === segments.length - 1;
  // Whether a field expands does not depend on its value: null passes only where it could.
  if (last && !isNode(value) && !expandable.get(type)?.has(field)) throw cannot();
  if (value === null) return;
  // Arrays of ids (`discounts`) expand element by element.
  if (Array.isArray(value)) {
    if (!expandable.get(type)?.has(field)) throw cannot();
    for (let k = 0; k < value.length; k++) {
      const holder: Node = { [segment]: value[k] };
      await walk(ctx, holder, [segment, ...segments.slice(i + 1)], 0, type, relative, full);
      value[k] = holder[segment];
    }
    return;
  }
  if (typeof value === 'string') {
    if (!expandable.get(type)?.has(field)) throw cannot();
    const loader = fieldLoaders.get(`${type}:${field}`) ?? loaders.get(prefixOf(value));
    const loaded = loader ? await loader(ctx, value) : undefined;
    if (!loaded) return;
    node[segment] = loaded;
    await walk(ctx, loaded as Node, segments, i + 1, String((loaded as Node).object), '', full);
    return;
  }
  if (isNode(value)) {
    if (typeof value.object === 'string') {
      await walk(ctx, value, segments, i + 1, value.object, '', full);
    } else if (i + 1 < segments.length) {
      await walk(ctx, value, segments, i + 1, type, field, full);
    } else throw cannot();
    return;
  }
  throw cannot();
}
