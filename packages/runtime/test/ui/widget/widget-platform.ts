import { expect } from 'chai';
import { createPlatform, type Runtime, type RuntimeConfigInput } from '../../../src/index.js';
import { readTestResponse, tempDir, type TestResponse } from '../../helpers.js';

/**
 * The platform the widget talks to, auth on, on the embedded log in a data directory that
 * outlives it: `restart()` stops it and starts a new one on the same directory and port, so a
 * widget's socket drops and its tokens stay valid.
 */
export interface WidgetPlatform {
  readonly runtime: Runtime;
  readonly url: string;
  /** POSTs JSON with the system token. */
  post(route: string, body?: unknown): Promise<TestResponse>;
  /** `channels.chatplugin.connect`: the new channel's id. */
  connectChannel(name: string): Promise<string>;
  /** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
  eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `config` is merged into the platform's (e.g. `sources.chatplugin.tokens`). */
export async function startWidgetPlatform(config: RuntimeConfigInput = {}): Promise<WidgetPlatform> {
  const dataDir = tempDir('widget');
  const start = async (port: number) => {
    const runtime = createPlatform(
      { ...config, dataDir, http: { port }, auth: { enabled: true }, webhooks: { enabled: false } },
      { logging: { level: 'warn', write: () => {} }, communication: { conversationWaitMs: 500 } },
    );
    await runtime.start();
    return runtime;
  };
  let runtime = await start(0);
  const port = Number(new URL(runtime.url).port);
  const platform: WidgetPlatform = {
    get runtime() {
      return runtime;
    },
    get url() {
      return runtime.url;
    },
    async post(route, body = {}) {
      const res = await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.systemToken!}` }, body: JSON.stringify(body) });
      return readTestResponse(res);
    },
    async connectChannel(name) {
      const res = await platform.post('channels.chatplugin.connect', { name });
      expect(res.status, res.text).to.equal(201);
      return (res.json as { id: string }).id;
    },
    async eventually(what, check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async restart() {
      await runtime.stop();
      runtime = await start(port);
    },
    stop: () => runtime.stop(),
  };
  return platform;
}
