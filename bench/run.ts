// `npm run bench`: the API benchmark and the webhook delivery benchmark, each printing figures
// measured in the same run as its baseline. Not a test: results go into docs/benchmarks.md.
//
//   npm run bench                                     both, on a temp SQLite file
//   npm run bench -- --store postgres://postgres@127.0.0.1:5432/test   (a schema of its own, dropped after)
//   npm run bench -- --only api --duration 20 --connections 50
//   npm run bench -- --only webhooks --rate 500 --webhook-duration 30
//   npm run bench -- --only engine --subscriptions 1000 --created 10000
//   npm run bench -- --only portal          the hosted portal's homepage and invoice PDF
//   npm run bench -- --only hostile --requests 100000   the hostile-input sweep (not run by default)
import { parseArgs } from 'node:util';
import { apiBench } from './api.ts';
import { engineBench } from './engine.ts';
import { hostileBench } from './hostile.ts';
import { portalBench } from './portal.ts';
import { webhookBench } from './webhooks.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    only: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '500' },
    'webhook-duration': { type: 'string', default: '30' },
    subscriptions: { type: 'string', default: '1000' },
    created: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '100000' },
  },
});

const only = values.only;
if (only === undefined || only === 'api') {
  await apiBench({
    store: values.store,
    duration: Number(values.duration),
    connections: Number(values.connections),
  });
}
if (only === undefined || only === 'webhooks') {
  await webhookBench({
    store: values.store,
    duration: Number(values['webhook-duration']),
    rate: Number(values.rate),
  });
}
if (only === undefined || only === 'portal') {
  await portalBench({
    store: values.store,
    duration: Number(values.duration),
    connections: Math.min(Number(values.connections), 10),
  });
}
if (only === undefined || only === 'engine') {
  await engineBench({
    store: values.store,
    subscriptions: Number(values.subscriptions),
    created: Number(values.created),
  });
}
// Not part of the default run: it measures robustness rather than speed, and takes minutes.
if (only === 'hostile') {
  await hostileBench({
    store: values.store,
    requests: Number(values.requests),
    concurrency: Math.min(Number(values.connections), 16),
  });
}
