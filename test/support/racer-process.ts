// A Portico process for the concurrency tests: the real app (workers and all) on a store the
// parent names, on a clock the parent moves over IPC, so two processes can be made to find the
// same work due at the same moment. Started by test/support/racers.ts with `fork`.
import { createApp } from '../../src/app.ts';
import { pruneExpiredSessions } from '../../src/billing/portal/sessions/lifetime.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { testConfig } from './server.ts';
import { fastWebhooks } from './webhooks.ts';

type Message = { id: number; type: 'clock'; now: number } | { id: number; type: 'prune' };

const send = (message: object) => process.send!(message);
const clock = fixedClock(Number(process.env.RACER_CLOCK));
const app = await createApp(
  // A generous delivery timeout: on a loaded machine a 500 ms one would time out answers the
  // receiver has already counted, and retries would look like double deliveries.
  testConfig(process.env.RACER_STORE!, { billingPollMs: 20, webhooks: fastWebhooks({ timeoutMs: 5000 }) }),
  // Warnings and errors (a worker's failure) reach the parent on stderr.
  { clock, log: (line) => process.stderr.write(`${line}\n`) },
);
await app.server.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.server.address();
send({
  type: 'ready',
  port: typeof address === 'object' && address ? address.port : 0,
  key: app.boot.secretKey,
});

process.on('message', async (message: Message) => {
  try {
    let value: unknown = null;
    if (message.type === 'clock') clock.set(message.now);
    else value = await app.store.write((tx) => pruneExpiredSessions(tx, clock));
    send({ type: 'done', id: message.id, value });
  } catch (error) {
    send({ type: 'done', id: message.id, error: String((error as Error).stack ?? error) });
  }
});
process.on('disconnect', async () => {
  await app.close();
  process.exit(0);
});
