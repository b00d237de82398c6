import * as net from 'node:net';

/** One row of a broker's ApiVersions answer: the request versions it serves for one API key. */
export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

const API_VERSIONS_KEY = 18;
const CORRELATION_ID = 0x5a17;

/**
 * Asks a broker which request versions it serves, with a hand-encoded ApiVersions v0 request.
 * Hand-encoded on purpose: it tells what the broker offers independently of what kafkajs
 * negotiates, and v0 is the one version every broker since 0.10 answers.
 */
export async function fetchApiVersions(broker: string, timeoutMs = 5000): Promise<ApiVersionRange[]> {
  const { host, port } = parseBroker(broker);
  const reply = await roundTrip({ host, port, request: encodeRequest(), timeoutMs });
  return decodeResponse(reply);
}

function parseBroker(broker: string): { host: string; port: number } {
  const colon = broker.lastIndexOf(':');
  const port = Number(broker.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) throw new TypeError(`not a host:port broker address: ${broker}`);
  return { host: broker.slice(0, colon), port };
}

function encodeRequest(): Buffer {
  const clientId = Buffer.from('parley-api-versions');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  let at = body.writeInt16BE(API_VERSIONS_KEY, 0);
  at = body.writeInt16BE(0, at); // request version 0: empty body after the header
  at = body.writeInt32BE(CORRELATION_ID, at);
  at = body.writeInt16BE(clientId.length, at);
  clientId.copy(body, at);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function decodeResponse(frame: Buffer): ApiVersionRange[] {
  if (frame.readInt32BE(0) !== CORRELATION_ID) throw new Error('ApiVersions reply has a foreign correlation id');
  const errorCode = frame.readInt16BE(4);
  if (errorCode !== 0) throw new Error(`ApiVersions failed with broker error code ${errorCode}`);
  const count = frame.readInt32BE(6);
  const ranges: ApiVersionRange[] = [];
  for (let i = 0, at = 10; i < count; i++, at += 6) {
    ranges.push({ apiKey: frame.readInt16BE(at), minVersion: frame.readInt16BE(at + 2), maxVersion: frame.readInt16BE(at + 4) });
  }
  return ranges;
}

/** Sends one size-prefixed request and resolves with the size-stripped response frame. */
function roundTrip(options: { host: string; port: number; request: Buffer; timeoutMs: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    let received = Buffer.alloc(0);
    socket.setTimeout(options.timeoutMs, () => socket.destroy(new Error(`no ApiVersions reply within ${options.timeoutMs} ms`)));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(options.request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.end();
      resolve(received.subarray(4, 4 + received.readInt32BE(0)));
    });
    socket.once('close', () => reject(new Error('broker closed the connection before answering ApiVersions')));
  });
}
