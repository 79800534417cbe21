import http from 'node:http';
import net from 'node:net';
import type { HostileRequest } from './generate.ts';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends requests over a few keep-alive connections, as a client library would. */
export class SweepClient {
  readonly agent: http.Agent;
  constructor(
    private readonly host: string,
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(request: HostileRequest): Promise<Answer> {
    if (request.raw) return this.sendRaw(request.raw, request.family === 'raw:short-body');
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, ...(request.body ? { 'content-length': request.body.length } : {}) },
          agent: this.agent,
        },
        (res) => {
          // The event stream stays open by design: its headers are the answer.
          if (String(res.headers['content-type']).startsWith('text/event-stream')) {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
  }

  /**
   * Raw bytes on a connection of their own; the answer is read until the server closes or a
   * few hundred milliseconds pass. A connection the server closes without a word counts as
   * status 0, which the checks accept only for framing no HTTP parser can read.
   */
  private sendRaw(bytes: Buffer, halfClose: boolean): Promise<Answer> {
    return new Promise((resolve) => {
      const socket = net.connect(this.port, this.host);
      const chunks: Buffer[] = [];
      const finish = () => {
        clearTimeout(timer);
        socket.destroy();
        const text = Buffer.concat(chunks).toString('latin1');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
        const [head = '', body = ''] = text.split('\r\n\r\n', 2);
        const headers: http.IncomingHttpHeaders = {};
        for (const line of head.split('\r\n').slice(1)) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        resolve({ status, headers, body });
      };
      // Generous: the answer normally ends the exchange long before, but a loaded machine is slow.
      const timer = setTimeout(finish, 15_000);
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        // One answer is enough: keep-alive would otherwise hold the socket open until the timer.
        const text = Buffer.concat(chunks).toString('latin1');
        const length = /content-length: (\d+)/i.exec(text)?.[1];
        const head = text.indexOf('\r\n\r\n');
        if (head >= 0 && length !== undefined && text.length - head - 4 >= Number(length)) finish();
      });
      socket.on('error', finish);
      socket.on('close', finish);
      // A request whose body never comes is half-closed after its bytes, so it ends instead of
      // waiting. Others stay open: Node's server aborts a request still running once the client
      // half-closes, which would drop answers that need the database.
      if (halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

const ERROR_TYPES = new Set(['api_error', 'card_error', 'idempotency_error', 'invalid_request_error']);

/** The `param` of a refusal must name something the request carried (or a header it is about). */
function paramExplained(request: HostileRequest, param: string): boolean {
  const root = param.split('[')[0]!;
  if (request.sent.has(root)) return true;
  return ['id', 'Idempotency-Key', 'Stripe-Account', 'Stripe-Version', 'Authorization'].includes(root);
}

/**
 * What every answer must be: never a 5xx; from the API, JSON in Stripe's shape (an error object
 * with a known type and a message, a code beside parameter refusals, a param that names what was
 * sent); from the portal, an HTML page. Answers the problem, or undefined when all is well.
 */
export function checkAnswer(request: HostileRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status === 0) {
    // Only framing that cannot be parsed may be dropped without an answer, and a body past the
    // limit: the server refuses it before reading it all and closes, and a client still writing
    // can lose the refusal to the reset (EPIPE), as HTTP allows.
    if (request.family === 'raw:short-body') return undefined;
    return (request.body?.length ?? 0) > 1024 * 1024 ? undefined : 'no answer';
  }
  const expect = request.expect;
  const api = request.url.startsWith('/v1/') || !/^\/(p|i|links)\//.test(request.url);
  const type = String(answer.headers['content-type'] ?? '');
  if (!api) {
    if (answer.status >= 400 && !type.startsWith('text/html') && !type.startsWith('application/json'))
      return `a portal answer ${answer.status} of type ${type}`;
    return undefined;
  }
  if (answer.status < 400) {
    if (answer.status >= 300) return undefined;
    if (request.url.startsWith('/v1/files/') || request.url.startsWith('/v1/portico/events/stream'))
      return undefined;
    try {
      const body = JSON.parse(answer.body) as { object?: unknown };
      if (!request.url.startsWith('/healthz') && typeof body.object !== 'string')
        return 'a 2xx body without `object`';
    } catch {
      return `a 2xx answer that is not JSON: ${answer.body.slice(0, 80)}`;
    }
    return expect ? `expected ${expect.status}, got ${answer.status}` : undefined;
  }
  if (!type.startsWith('application/json')) return `an error of type ${type}: ${answer.body.slice(0, 80)}`;
  let error: { type?: string; message?: string; code?: string; param?: string };
  try {
    error = (JSON.parse(answer.body) as { error: typeof error }).error;
  } catch {
    return `an error body that is not JSON: ${answer.body.slice(0, 80)}`;
  }
  if (!error || typeof error !== 'object') return 'no error object';
  if (!ERROR_TYPES.has(String(error.type))) return `error.type ${error.type}`;
  if (typeof error.message !== 'string' || error.message === '') return 'no error.message';
  if (error.code?.startsWith('parameter_') && !error.param) return `${error.code} without a param`;
  if (error.param !== undefined && typeof error.param !== 'string') return 'a param that is not a string';
  // A refusal of a value must name a param the request carried (a missing one, of course, not).
  const ofAValue = error.code?.startsWith('parameter_') && error.code !== 'parameter_missing';
  if (error.param && ofAValue && !paramExplained(request, error.param))
    return `param ${error.param} names nothing the request sent (${error.code})`;
  if (expect) {
    if (answer.status !== expect.status)
      return `expected ${expect.status}, got ${answer.status}: ${error.message}`;
    if (expect.code !== undefined && error.code !== expect.code)
      return `expected code ${expect.code}, got ${error.code}`;
    if (expect.param !== undefined && error.param !== expect.param)
      return `expected param ${expect.param}, got ${error.param}`;
  }
  return undefined;
}
