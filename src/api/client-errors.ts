import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { fail } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { API_VERSION } from '../core/version.ts';
import { errorJson, renderApiError, type WireError } from './error-messages.ts';

/**
 * Requests Node's HTTP parser refuses before any route sees them: a request line and headers
 * over `maxHeaderSize` (16 KB by default), a malformed request line or header, a bad
 * Content-Length, a request that took too long to arrive. Fastify's default answer is JSON of
 * its own shape (the SDK raises an error with an empty message) and drops the socket without
 * `Connection: close`, so a keep-alive client reuses a dead connection. Here the answer is
 * Stripe's error body in a complete response that says the connection closes, and the socket is
 * ended after it is written.
 */

/** Node's parser codes and what was wrong, in words a client can act on. */
const REASONS: Record<string, string> = {
  HPE_INVALID_HEADER_TOKEN: 'a header contains a character that is not allowed.',
  HPE_INVALID_METHOD: 'the method is not valid.',
  HPE_INVALID_URL: 'the URL contains a character that is not allowed.',
  HPE_INVALID_VERSION: 'the HTTP version is not valid.',
  HPE_INVALID_CHUNK_SIZE: 'the chunked body is malformed.',
  HPE_INVALID_CONTENT_LENGTH: 'the Content-Length header is not valid.',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding were both sent.',
  HPE_INVALID_TRANSFER_ENCODING: 'the Transfer-Encoding header is not valid.',
};

/** The refusal for one parser error. */
export function clientErrorFor(code: string | undefined): WireError {
  if (code === 'HPE_HEADER_OVERFLOW')
    return renderApiError(fail('headers_too_large', { limit: maxHeaderSize }));
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return renderApiError(fail('request_timeout', {}));
  const reason = REASONS[code ?? ''] ?? 'the HTTP request is malformed.';
  return renderApiError(fail('request_invalid', { reason }));
}

/** The whole response, head and body, as bytes. */
function responseBytes(wire: WireError): Buffer {
  const body = Buffer.from(errorJson(wire));
  const head = [
    `HTTP/1.1 ${wire.status} ${STATUS_CODES[wire.status] ?? 'Error'}`,
    `Request-Id: ${newId('req')}`,
    `Stripe-Version: ${API_VERSION}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${body.length}`,
    'Connection: close',
  ];
  if (wire.shouldRetry !== undefined) head.push(`Stripe-Should-Retry: ${wire.shouldRetry}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
}

/** How long a refused connection may still send before it is dropped. */
const LINGER_MS = 2000;

/** Node's parser may report a connection more than once; it is answered the first time. */
const answered = new WeakSet<Socket>();

export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  // A response of an earlier request on this connection already under way cannot be followed
  // by another one: the connection is simply closed (as Node itself does).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(responseBytes(clientErrorFor(error.code)));
  // Closing at once while the client is still sending (the rest of an oversized header) would
  // reset the connection before it reads the answer: what still arrives is read and dropped,
  // for a moment, then the socket goes.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
