/**
 * A Redis server of the test's own, with persistence on (AOF, fsync always), that the test can
 * stop and start again on the same port and data directory — what "Redis restarted mid-run"
 * needs, which the shared test Redis (scripts/redis.sh, no persistence) cannot give.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { tempDir } from '../helpers.js';

export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  /** SIGTERM (Redis writes its AOF and exits), waiting for the exit. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = tempDir('redis');
  let child: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await pings(port))) {
        if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 10 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (c === undefined || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      await exited;
    },
  };
}
