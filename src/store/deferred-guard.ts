import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * The rule behind deferred writes (store/objects.ts): during a bulk run, writes of some tables
 * (customers) wait until the run ends, which is only safe while nothing in the run reads those
 * tables by any column but their key. In development and tests (NODE_ENV `development` or `test`)
 * this plugin checks it: a query that filters a table with writes still deferred by anything
 * other than id, account and mode throws, naming the table and column. It costs an
 * AsyncLocalStorage, so production runs without it.
 */
export const deferredChecks = process.env.NODE_ENV === 'development' || process.env.NODE_ENV === 'test';

/** The tables the current run has deferred writes of (by the run's own bookkeeping). */
const currentRun = new AsyncLocalStorage<() => ReadonlySet<string>>();

export function withDeferredChecks<T>(
  deferredTables: () => ReadonlySet<string>,
  work: () => Promise<T>,
): Promise<T> {
  return deferredChecks ? currentRun.run(deferredTables, work) : work();
}

const KEY_COLUMNS = new Set(['id', 'account_id', 'livemode']);

/** Every node of a kind below a node (Kysely's operation nodes are plain frozen objects). */
function collect(node: unknown, kind: string, into: OperationNode[] = []): OperationNode[] {
  if (node === null || typeof node !== 'object') return into;
  if (Array.isArray(node)) {
    for (const child of node) collect(child, kind, into);
    return into;
  }
  if ((node as OperationNode).kind === kind) into.push(node as OperationNode);
  for (const value of Object.values(node)) collect(value, kind, into);
  return into;
}

const tableName = (n: OperationNode) =>
  (n as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
const columnName = (n: OperationNode) => (n as unknown as { column: { name: string } }).column.name;

export class DeferredReadGuard implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const deferred = currentRun.getStore()?.();
    if (!deferred || deferred.size === 0) return args.node;
    const node = args.node as unknown as {
      from?: unknown;
      joins?: unknown;
      table?: unknown;
      where?: unknown;
    };
    const tables = collect([node.from, node.joins, node.table], 'TableNode').map(tableName);
    const touched = tables.find((t) => deferred.has(t));
    if (touched === undefined) return args.node;
    const filter = collect(node.where, 'ColumnNode')
      .map(columnName)
      .find((c) => !KEY_COLUMNS.has(c));
    if (filter !== undefined) {
      throw new Error(
        `Deferred-write rule broken: a query filters ${touched} by ${filter} while this run still holds unwritten ${touched} changes (see store/objects.ts)`,
      );
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
