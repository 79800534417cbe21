// A real SMTP server in the test process (smtp-server on 127.0.0.1) that keeps what it receives,
// with just enough MIME decoding to read a Portico mail's subject and its two parts.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  /** Resolves with the next mail to `to` (one already received and not yet taken, or the next). */
  next(to: string): Promise<ReceivedMail>;
  /** Refuse recipients with a temporary failure (451) while true. */
  refusing: boolean;
  close(): Promise<void>;
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words of a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function headersOf(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parse(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = headersOf(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const parts: Record<string, string> = {};
  const boundary = head.get('content-type')?.match(/boundary="?([^";]+)"?/)?.[1];
  const sections = boundary
    ? body.split(`--${boundary}`).slice(1, -1)
    : [raw.slice(0, split) + '\r\n\r\n' + body];
  for (const section of sections) {
    const at = section.indexOf('\r\n\r\n');
    const h = headersOf(section.slice(0, at));
    const type = h.get('content-type')?.split(';')[0]?.trim() ?? 'text/plain';
    parts[type] = decodeBody(section.slice(at + 4), h.get('content-transfer-encoding') ?? '7bit');
  }
  return {
    from,
    to,
    subject: decodeWords(head.get('subject') ?? ''),
    text: parts['text/plain'] ?? '',
    html: parts['text/html'] ?? '',
    raw,
  };
}

/** Starts the server; it asks for AUTH (user `portico`, password `s3cret`) as a real relay would. */
export async function startSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiting: { to: string; resolve: (mail: ReceivedMail) => void }[] = [];
  const taken = new Set<ReceivedMail>();
  const state = { refusing: false };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'portico' && auth.password === 's3cret')
        return callback(null, { user: 'portico' });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (state.refusing) {
        const error = new Error('Mailbox busy, try later') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        const mail = parse(Buffer.concat(chunks).toString('utf8'), from, to);
        mails.push(mail);
        const i = waiting.findIndex((w) => to.includes(w.to));
        if (i >= 0) {
          taken.add(mail);
          waiting.splice(i, 1)[0]!.resolve(mail);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://portico:s3cret@127.0.0.1:${port}`,
    mails,
    get refusing() {
      return state.refusing;
    },
    set refusing(value: boolean) {
      state.refusing = value;
    },
    next(to: string) {
      const ready = mails.find((m) => m.to.includes(to) && !taken.has(m));
      if (ready) {
        taken.add(ready);
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiting.push({ to, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
