import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { errors, isRefusal } from '../core/errors.ts';
import type { Db, Store } from '../store/database.ts';
import { isUniqueViolation } from '../store/errors.ts';
import type { Scope } from '../store/objects.ts';
import { errorJson, renderApiError } from './error-messages.ts';

/** Keys are kept exactly 24 hours; a reuse after that is a new request. */
export const RETENTION_SECONDS = 24 * 60 * 60;

export interface Saved {
  status: number;
  body: string;
}

export interface IdempotentRequest {
  store: Store;
  scope: Scope;
  key: string;
  fingerprint: string;
  requestId: string;
  now: number;
}

export interface Outcome extends Saved {
  /** Set when this is a replay: the id of the request that first ran. */
  originalRequest?: string;
}

/**
 * Saved responses can carry secrets (a portal session's URL, a webhook endpoint's signing secret),
 * so the store never holds them readable: the row is found by a SHA-256 of the Idempotency-Key,
 * and the body is sealed with AES-256-GCM under a key derived from the Idempotency-Key itself.
 * Only a client that still has its key can replay the answer; the database alone reveals nothing.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const keyId = (key: string) => sha256(`portico idempotency key\0${key}`).toString('hex');

function seal(key: string, body: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sha256(`portico idempotency body\0${key}`), iv);
  const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
}

function open(key: string, stored: string): string {
  if (!stored.startsWith('v1:')) return stored;
  const raw = Buffer.from(stored.slice(3), 'base64');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    sha256(`portico idempotency body\0${key}`),
    raw.subarray(0, 12),
  );
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Another request saved the same key first (in another process). */
class KeyTaken extends Error {}

/** Method, path and decoded params: a retry must match all three. */
export function fingerprint(method: string, path: string, params: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableJson(params)}`)
    .digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs a POST at most once per (account, mode, key). The saved response is written in the same
 * transaction as the change, so a crash can never leave a change without its key or a key without
 * its change. API errors raised while executing are saved too and replayed; unexpected failures
 * (bugs, a database that went away) are not, so a retry can succeed.
 */
export class Idempotency {
  // Requests executing in this process. Another process on the same PostgreSQL blocks on the key's
  // row instead, then replays what the first one saved.
  private readonly inFlight = new Set<string>();

  async run(req: IdempotentRequest, execute: (tx: Db) => Promise<Saved>): Promise<Outcome> {
    const slot = `${req.scope.accountId}:${req.scope.livemode}:${req.key}`;
    if (this.inFlight.has(slot)) throw errors.idempotencyInFlight();
    this.inFlight.add(slot);
    try {
      const replay = await this.lookup(req);
      if (replay) return replay;
      return await req.store.write(async (tx) => {
        const result = await execute(tx);
        await this.save(tx, req, result);
        return result;
      });
    } catch (error) {
      if (error instanceof KeyTaken || isUniqueViolation(error)) {
        // Another process finished first with this key: answer what it saved. If its row is not
        // visible yet, the client may retry shortly.
        const winner = await this.lookup(req);
        if (winner) return winner;
        throw errors.idempotencyInFlight();
      }
      if (isRefusal(error)) {
        const wire = renderApiError(error);
        const saved = { status: wire.status, body: errorJson(wire) };
        await req.store.write((tx) => this.save(tx, req, saved)).catch(() => undefined);
      }
      throw error;
    } finally {
      this.inFlight.delete(slot);
    }
  }

  private async lookup(req: IdempotentRequest): Promise<Outcome | undefined> {
    // Committed keys only: a key still executing in this process is caught by `inFlight`.
    const row = await req.store.read
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status', 'body', 'request_id'])
      .where('account_id', '=', req.scope.accountId)
      .where('livemode', '=', req.scope.livemode ? 1 : 0)
      .where('key', '=', keyId(req.key))
      .where('created', '>', req.now - RETENTION_SECONDS)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.fingerprint !== req.fingerprint) throw errors.idempotencyMismatch(req.key);
    return { status: row.status, body: open(req.key, row.body), originalRequest: row.request_id };
  }

  private async save(db: Db, req: IdempotentRequest, result: Saved): Promise<void> {
    const row = {
      account_id: req.scope.accountId,
      livemode: req.scope.livemode ? 1 : 0,
      key: keyId(req.key),
      fingerprint: req.fingerprint,
      status: result.status,
      body: seal(req.key, result.body),
      request_id: req.requestId,
      created: req.now,
    };
    // A row past retention is replaced; a live one means another request saved this key first.
    const saved = await db
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'livemode', 'key'])
          .doUpdateSet(row)
          .where('idempotency_keys.created', '<=', req.now - RETENTION_SECONDS),
      )
      .executeTakeFirst();
    if (Number(saved.numInsertedOrUpdatedRows ?? 0) === 0) throw new KeyTaken();
  }
}

/** Deletes keys past retention; run periodically by the server. */
export async function pruneIdempotencyKeys(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('created', '<=', now - RETENTION_SECONDS)
    .execute();
}
