import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { RuntimeError } from '../errors.js';

/**
 * Takes over the socket of an HTTP upgrade request (a websocket handshake) for one path,
 * framework-free: the handler completes or refuses the handshake itself.
 */
export type UpgradeHandler = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The connection limits of a server (docs/operations.md, "HTTP limits"). */
export interface ServerLimits {
  /** Time from connection (or the previous request) to complete headers, ms. */
  headersTimeoutMs: number;
  /** Time for the whole request, headers and body, ms. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open, ms. */
  keepAliveTimeoutMs: number;
  /** Most connections open at once; Node closes further ones as they arrive. */
  maxConnections: number;
}

/** Starts an HTTP server for `handler`; RUNTIME_LISTEN_FAILED when the address cannot be bound. */
export function listen(handler: http.RequestListener, address: { host: string; port: number }, limits?: ServerLimits): Promise<http.Server> {
  const server =
    limits === undefined
      ? http.createServer(handler)
      : http.createServer(
          {
            headersTimeout: limits.headersTimeoutMs,
            requestTimeout: limits.requestTimeoutMs,
            keepAliveTimeout: limits.keepAliveTimeoutMs,
            // Node checks the two timeouts above only this often (default 30 s): check often
            // enough that a small timeout holds within a quarter of itself.
            connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
          },
          handler,
        );
  if (limits !== undefined) server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    const onError = (cause: NodeJS.ErrnoException) => {
      const why = cause.code === 'EADDRINUSE' ? 'the port is in use' : cause.code === 'EACCES' ? 'permission denied' : (cause.code ?? 'error');
      reject(new RuntimeError('RUNTIME_LISTEN_FAILED', `cannot listen on ${address.host}:${address.port}: ${why}`, { cause }));
    };
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/** The base URL clients use; a wildcard host is shown as the loopback address. */
export function serverUrl(server: http.Server): string {
  const { address, port, family } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '[::1]' : family === 'IPv6' ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

/**
 * Routes `server`'s upgrade requests by exact path to `handlers` (read on every request, so
 * handlers may be added later). An unknown path is answered `404` with the API's error body and
 * its socket destroyed: without a listener Node would leave such sockets hanging.
 */
export function attachUpgradeHandlers(server: http.Server, handlers: ReadonlyMap<string, UpgradeHandler>): void {
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const handler = handlers.get(path);
    socket.on('error', () => socket.destroy());
    if (handler !== undefined) return handler(request, socket, head);
    const body = JSON.stringify({ message: `there is no upgrade endpoint ${path}`, code: 'RUNTIME_NOT_FOUND' });
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/**
 * Stops accepting connections and resolves once the open ones are done: idle keep-alive
 * connections close now, requests in flight get `graceMs` to finish before their sockets are cut.
 */
export function closeServer(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    // A keep-alive connection whose request finishes after close() turns idle and would stay
    // open until the client drops it: sweep idle connections until the server is closed.
    const sweeper = setInterval(() => server.closeIdleConnections(), 20);
    server.close(() => {
      clearTimeout(deadline);
      clearInterval(sweeper);
      resolve();
    });
    server.closeIdleConnections();
  });
}
