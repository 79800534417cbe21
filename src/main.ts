import { parseArgs } from 'node:util';
import { bootstrap } from './accounts/bootstrap.ts';
import {
  createRestrictedKey,
  createSecretKey,
  type Permissions,
  parsePermissions,
  publishableKey,
} from './accounts/keys.ts';
import { createPlatformAccount, findPlatformAccount } from './accounts/service.ts';
import { createApp } from './app.ts';
import { seedDemo } from './cli/demo.ts';
import { listen } from './cli/listen.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { systemClock } from './core/clock.ts';
import { openStore } from './store/database.ts';

const USAGE = `usage: portico [serve]
       portico keys create [--live] [--account acct_...]   a new secret key (default account unless --account)
               [--restricted customers=write,events=read]  a restricted key with those permissions instead
               [--publishable]                             the account's publishable key for the mode instead
       portico accounts create [--name NAME]               a new platform account with a test key
       portico listen --forward-to URL [--events a,b] [--api-key KEY] [--api-base URL]
                                                           forward a running Portico's events, signed
       portico demo                                        seed a demo business and print a portal URL`;

/** `demo`: seeds the Portico already running on PORT, or starts one and seeds it. */
async function demo(config: Config): Promise<void> {
  const apiBase = `http://127.0.0.1:${config.port}`;
  const running = await fetch(`${apiBase}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!running) await serve(config);
  const url = await seedDemo({
    apiBase,
    apiKey: await defaultKey(config),
    print: (line) => console.log(line),
  });
  console.log(
    'Demo business "Acme Cloud" seeded: a customer with a Pro subscription, a card, a paid and an open invoice.',
  );
  console.log(`Open the customer portal (the link works once, for 5 minutes): ${url}`);
  if (running) process.exit(0);
}

async function serve(config: Config): Promise<void> {
  const app = await createApp(config);
  await app.server.listen({ port: config.port, host: config.host });
  // Since the process started, module loading included.
  const ms = Math.round(performance.now());
  console.log(`Portico listening on ${config.publicUrl} (${config.host}:${config.port}), ready in ${ms} ms`);
  console.log(`Store: ${app.store.display}`);
  console.log(`Account: ${app.boot.accountId}`);
  console.log(
    `Secret key (test mode): ${app.boot.secretKey}${app.boot.generatedKey ? ' (generated now and stored)' : ''}`,
  );
  console.log(`Publishable key (test mode): ${app.boot.publishableKey}`);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Portico: ${signal} received, finishing in-flight requests`);
    app.close().then(
      () => process.exit(0),
      (e) => {
        console.error(`Portico: shutdown failed: ${e}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function admin(config: Config, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      live: { type: 'boolean' },
      account: { type: 'string' },
      name: { type: 'string' },
      restricted: { type: 'string' },
      publishable: { type: 'boolean' },
    },
  });
  const store = await openStore(config.store);
  try {
    const boot = await bootstrap(store, config, systemClock);
    const now = systemClock.now();
    const command = positionals.join(' ');
    if (command === 'keys create') {
      const accountId = values.account ?? boot.accountId;
      if (!(await findPlatformAccount(store.db, accountId)))
        throw new ConfigError(`no platform account ${accountId}`);
      const scope = { accountId, livemode: values.live === true };
      if (values.publishable && values.restricted !== undefined)
        throw new ConfigError('--publishable and --restricted cannot be used together');
      // One publishable key per account and mode, as on Stripe: asking again prints the same key.
      if (values.publishable) console.log(await publishableKey(store.db, scope, now));
      else if (values.restricted === undefined) console.log(await createSecretKey(store.db, scope, now));
      else {
        let permissions: Permissions;
        try {
          permissions = parsePermissions(values.restricted);
        } catch (e) {
          throw new ConfigError(`--restricted: ${(e as Error).message}`);
        }
        console.log(await createRestrictedKey(store.db, scope, now, permissions));
      }
    } else if (command === 'accounts create') {
      const account = await createPlatformAccount(store.db, now, values.name ?? 'Portico');
      const key = await createSecretKey(store.db, { accountId: account.id, livemode: false }, now);
      console.log(`${account.id} ${key}`);
    } else throw new ConfigError(USAGE);
  } finally {
    await store.close();
  }
}

/** The key `listen` uses: --api-key, PORTICO_SECRET_KEY, or the default key kept in the store. */
async function defaultKey(config: Config): Promise<string> {
  if (config.secretKey) return config.secretKey;
  const store = await openStore(config.store);
  try {
    return (await bootstrap(store, config, systemClock)).secretKey;
  } finally {
    await store.close();
  }
}

async function listenCommand(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'forward-to': { type: 'string' },
      events: { type: 'string' },
      'api-key': { type: 'string' },
      'api-base': { type: 'string' },
    },
  });
  const forwardTo = values['forward-to'];
  if (!forwardTo)
    throw new ConfigError('listen needs --forward-to <url> (the URL your webhook handler listens on)');
  try {
    new URL(forwardTo);
  } catch {
    throw new ConfigError(`--forward-to: "${forwardTo}" is not an absolute URL`);
  }
  const stop = new AbortController();
  process.on('SIGINT', () => stop.abort());
  process.on('SIGTERM', () => stop.abort());
  await listen({
    apiBase: values['api-base'] ?? `http://127.0.0.1:${config.port}`,
    apiKey: values['api-key'] ?? (await defaultKey(config)),
    forwardTo,
    events: values.events?.split(',').filter(Boolean),
    print: (line) => console.log(line),
    signal: stop.signal,
  });
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  if (argv.length === 0 || (argv.length === 1 && argv[0] === 'serve')) return serve(config);
  if (argv[0] === 'listen') return listenCommand(config, argv.slice(1));
  if (argv.length === 1 && argv[0] === 'demo') return demo(config);
  return admin(config, argv);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Configuration problems get one clear line; anything else is a real failure worth its stack.
  if (error instanceof ConfigError) console.error(`portico: ${error.message}`);
  else if (
    error instanceof Error &&
    /ECONNREFUSED|EADDRINUSE|ENOTFOUND|password|database/.test(error.message)
  ) {
    console.error(`portico: ${error.message}`);
  } else console.error(error);
  process.exit(1);
});
