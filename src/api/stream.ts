import type { FastifyInstance } from 'fastify';
import { fail } from '../core/errors.ts';
import { randomBase62 } from '../core/ids.ts';
import type { Db, Store } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';
import { checkPermission } from './auth.ts';
import { decodeForm } from './form.ts';

/**
 * `GET /v1/portico/events/stream` (not Stripe's): the account's events as server-sent events, for
 * `portico listen`. The first message carries the signing secret the listener signs with (one per
 * account and mode, kept, so a receiver's configuration survives restarts); then every event
 * committed from then on. Each message's `id:` is a cursor: a listener that reconnects with
 * `cursor=<id>` resumes where it was, so nothing is missed while Portico restarts (an event may
 * come twice; receivers deduplicate on its id). Events are read from the log, so a listener sees
 * the events of every process sharing the database.
 */
const POLL_MS = 100;
const HEARTBEAT_MS = 15_000;
/**
 * Creation sequence numbers are handed out when a row is inserted, not when its transaction
 * commits, so on PostgreSQL a lower number can appear after a higher one. A hole in the numbers
 * is waited for this long before the stream moves past it (a rolled-back insert leaves a hole
 * that never fills).
 */
const GAP_WAIT_MS = 10_000;

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

/** Where a stream starts: the cursor given, or after the newest event. */
async function startingSeq(db: Db, scope: Scope, cursor: string | undefined): Promise<number> {
  if (cursor !== undefined) {
    if (!/^\d{1,15}$/.test(cursor)) throw fail('stream_cursor_invalid', { cursor }, 'cursor');
    return Number(cursor);
  }
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', scope.livemode ? 1 : 0)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * Which events to send next. `cursor` is the number below which every event has been sent or
 * given up on; events above it already sent are remembered until the cursor passes them.
 */
class Window {
  private readonly sent = new Set<number>();
  private readonly gaps = new Map<number, number>();
  private highest: number;

  constructor(public cursor: number) {
    this.highest = cursor;
  }

  /** Whether this event is new; marks it sent. */
  take(seq: number): boolean {
    if (seq <= this.cursor || this.sent.has(seq)) return false;
    this.sent.add(seq);
    this.highest = Math.max(this.highest, seq);
    return true;
  }

  /** Moves the cursor over what was sent and over holes that have waited long enough. */
  advance(now: number): void {
    for (;;) {
      const next = this.cursor + 1;
      if (next > this.highest) return;
      if (this.sent.delete(next)) {
        this.gaps.delete(next);
      } else {
        const since = this.gaps.get(next) ?? now;
        this.gaps.set(next, since);
        if (now - since < GAP_WAIT_MS) return;
        this.gaps.delete(next);
      }
      this.cursor = next;
    }
  }
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
    const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
    const types =
      typeof query.events === 'string' && query.events ? new Set(query.events.split(',')) : undefined;
    const scope = caller.scope;
    const window = new Window(await startingSeq(db, scope, cursor));
    const secret = await listenSecret(store.db, scope);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': request.id,
    });
    res.write(`event: ready\nid: ${window.cursor}\ndata: ${JSON.stringify({ secret })}\n\n`);

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
          .where('seq', '>', window.cursor)
          .orderBy('seq')
          .limit(500)
          .execute();
        const fresh = rows.filter((row) => window.take(row.seq));
        window.advance(Date.now());
        for (const row of fresh) {
          if (!types || types.has(row.type) || types.has('*')) {
            res.write(`event: event\nid: ${window.cursor}\ndata: ${row.data}\n\n`);
          }
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
