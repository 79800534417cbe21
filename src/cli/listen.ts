import { signatureHeader } from '../webhooks/signature.ts';

/**
 * `portico listen --forward-to <url>`: like `stripe listen`. Streams the account's events from a
 * running Portico and posts each to the URL, signed with the secret printed at start, one line per
 * event and per delivery. When the stream drops it reconnects with the last cursor the stream
 * gave, so no event is missed while Portico restarts.
 */
export interface ListenOptions {
  apiBase: string;
  apiKey: string;
  forwardTo: string;
  events: string[] | undefined;
  print: (line: string) => void;
  /** Resolves when listening should stop (SIGINT). */
  signal: AbortSignal;
}

const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

async function forward(options: ListenOptions, secret: string, body: string): Promise<void> {
  const event = JSON.parse(body) as { id: string; type: string };
  options.print(`${stamp()}   --> ${event.type} [${event.id}]`);
  try {
    const response = await fetch(options.forwardTo, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signatureHeader(body, secret),
      },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    await response.body?.cancel();
    options.print(`${stamp()}  <--  [${response.status}] POST ${options.forwardTo} [${event.id}]`);
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    options.print(`${stamp()}  <--  [ERR] POST ${options.forwardTo} [${event.id}]: ${cause}`);
  }
}

/** Reads server-sent events: yields `{ event, data }` per message. */
async function* messages(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; id: string | undefined; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) yield { event, id, data: data.join('\n') };
      end = buffer.indexOf('\n\n');
    }
  }
}

export async function listen(options: ListenOptions): Promise<void> {
  let cursor: string | undefined;
  let secret: string | undefined;
  while (!options.signal.aborted) {
    const url = new URL('/v1/portico/events/stream', options.apiBase);
    if (options.events) url.searchParams.set('events', options.events.join(','));
    if (cursor !== undefined) url.searchParams.set('cursor', cursor);
    try {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${options.apiKey}` },
        signal: options.signal,
      });
      if (!response.ok || !response.body) {
        const text = await response.text();
        throw new Error(`Portico answered ${response.status}: ${text.slice(0, 300)}`);
      }
      for await (const message of messages(response.body)) {
        if (message.id !== undefined) cursor = message.id;
        if (message.event === 'ready') {
          const announced = secret !== undefined;
          secret = (JSON.parse(message.data) as { secret: string }).secret;
          if (!announced) options.print(`Ready! Your webhook signing secret is ${secret} (^C to quit)`);
        } else if (message.event === 'event' && secret) {
          await forward(options, secret, message.data);
        }
      }
    } catch (e) {
      if (options.signal.aborted) return;
      if (secret === undefined) throw e;
      options.print(`${stamp()}   Lost the connection to Portico (${(e as Error).message}); reconnecting`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
