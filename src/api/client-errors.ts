import type { Socket } from 'node:net';
import { fail } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { API_VERSION } from '../core/version.ts';
import { errorJson, renderApiError } from './error-messages.ts';

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

/**
 * Requests Node's HTTP parser cannot read reach no route and no hook: Fastify's default answer is
 * its own JSON, without a Request-Id, on a connection it then drops without saying so. Here they
 * are answered in Stripe's shape, and `Connection: close` tells a keep-alive client not to reuse
 * the socket. Oversized request lines and headers (431) keep Fastify's answer.
 */
export function answerClientError(this: unknown, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const body =
      '{"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}';
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
    return;
  }
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason =
    status === 408
      ? 'the request took too long to arrive.'
      : (REASONS[error.code ?? ''] ?? 'the request is malformed.');
  const wire = renderApiError(fail('request_invalid', { reason }));
  const body = errorJson(wire);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Request-Id: ${newId('req')}\r\nStripe-Version: ${API_VERSION}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
