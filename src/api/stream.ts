import type { FastifyInstance } from 'fastify';
import { errors } from '../core/errors.ts';
import { randomBase62 } from '../core/ids.ts';
import type { Db, Store } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';
import { checkPermission } from './auth.ts';
import { decodeForm } from './form.ts';

/**
 * `GET /v1/portico/events/stream` (not Stripe's): the account's events as server-sent events, for
 * `portico listen`. The first message carries the signing secret the listener signs with (one per
 * account and mode, kept, so a receiver's configuration survives restarts); then every event
 * committed from then on, or after `after=evt_…` when a listener reconnects. Events are read from
 * the log, so a listener sees the events of every process sharing the database.
 */
const POLL_MS = 100;
const HEARTBEAT_MS = 15_000;

async function listenSecret(db: Db, scope: Scope): Promise<string> {
  const name = `listen_secret:${scope.accountId}:${scope.livemode ? 'live' : 'test'}`;
  await db
    .insertInto('settings')
    .values({ name, value: `whsec_${randomBase62(32)}` })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}

async function startingSeq(db: Db, scope: Scope, after: string | undefined): Promise<number> {
  const base = db
    .selectFrom('events')
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', scope.livemode ? 1 : 0);
  if (after !== undefined) {
    const row = await base.select('seq').where('id', '=', after).executeTakeFirst();
    if (!row) throw errors.noSuchParam('event', after, 'after');
    return row.seq;
  }
  const row = await base.select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export function registerEventStream(app: FastifyInstance, store: Store): void {
  const db = store.read;
  const open = new Set<() => void>();
  // Streams never go idle, so they are ended when the server closes.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get('/v1/portico/events/stream', async (request, reply) => {
    const caller = request.caller!;
    checkPermission(caller, 'events', 'GET');
    const query = decodeForm(
      request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
    );
    const after = typeof query.after === 'string' ? query.after : undefined;
    const types =
      typeof query.events === 'string' && query.events ? new Set(query.events.split(',')) : undefined;
    const scope = caller.scope;
    let cursor = await startingSeq(db, scope, after);
    const secret = await listenSecret(store.db, scope);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': request.id,
    });
    res.write(`event: ready\ndata: ${JSON.stringify({ secret })}\n\n`);

    let busy = false;
    const poll = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const rows = await db
          .selectFrom('events')
          .select(['seq', 'type', 'data'])
          .where('account_id', '=', scope.accountId)
          .where('livemode', '=', scope.livemode ? 1 : 0)
          .where('seq', '>', cursor)
          .orderBy('seq')
          .limit(100)
          .execute();
        for (const row of rows) {
          cursor = row.seq;
          if (!types || types.has(row.type) || types.has('*'))
            res.write(`event: event\ndata: ${row.data}\n\n`);
        }
      } catch {
        end();
      } finally {
        busy = false;
      }
    }, POLL_MS);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(poll);
      clearInterval(heartbeat);
      open.delete(end);
      res.end();
    };
    open.add(end);
    request.raw.on('close', end);
  });
}
