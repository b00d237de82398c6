import * as net from 'node:net';

/**
 * Sends one command to Redis over a fresh connection and resolves with its reply, decoded
 * from RESP2: a simple string or a bulk string (null for a nil bulk). An error reply rejects.
 * Hand-written so the smoke test needs no Redis client dependency; it reads exactly one
 * reply and supports nothing else.
 */
export function sendCommand(url: string, args: readonly string[], timeoutMs = 5000): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no Redis reply within ${timeoutMs} ms`)));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const reply = decodeReply(received);
      if (reply === undefined) return;
      socket.end();
      if (reply instanceof Error) reject(reply);
      else resolve(reply);
    });
    socket.once('close', () => reject(new Error('Redis closed the connection before replying')));
  });
}

function encodeCommand(args: readonly string[]): Buffer {
  const parts = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(`*${args.length}\r\n${parts.join('')}`);
}

/** The reply in `buffer`, or undefined while it is still incomplete. */
function decodeReply(buffer: Buffer): string | null | Error | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const line = buffer.subarray(1, lineEnd).toString();
  switch (String.fromCharCode(buffer[0]!)) {
    case '+':
      return line;
    case '-':
      return new Error(`Redis error reply: ${line}`);
    case '$': {
      const length = Number(line);
      if (length < 0) return null;
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return buffer.subarray(start, start + length).toString();
    }
    default:
      return new Error(`unsupported RESP reply type in: ${JSON.stringify(buffer.toString())}`);
  }
}
