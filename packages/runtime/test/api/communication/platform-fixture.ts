import { expect } from 'chai';
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import type { RecordMetadata } from '@parley/streams';
import { communicationSerdes, waitForOffsets } from '@parley/communication';
import { createPlatform, type PlatformOptions, type Runtime, type RuntimeConfigInput } from '../../../src/index.js';
import { readTestResponse, tempDir, type LogConfig, type RequestOptions, type TestResponse } from '../../helpers.js';

/**
 * A started platform (`createPlatform`: communication model + Source API) on port 0 in a fresh
 * data directory, auth on, over the log `config.log` names (default: embedded; see
 * `TestBackend.freshLog`), with a small HTTP client and helpers that seed model records the way
 * a source would (appended to the model topics).
 */
export interface TestPlatform {
  runtime: Runtime;
  token: string;
  lines: string[];
  /** The data directory and log it runs on: start another platform with them to restart it. */
  dataDir: string;
  logConfig: LogConfig;
  post(route: string, body?: unknown, options?: RequestOptions): Promise<TestResponse>;
  /** POSTs a raw body (for invalid JSON). */
  postRaw(route: string, body: string): Promise<TestResponse>;
  /** Appends channels and messages, then waits until the communication app has processed them. */
  seed(records: { channels?: Channel[]; messages?: Message[] }): Promise<void>;
  stop(): Promise<void>;
}

const serdes = communicationSerdes();

/**
 * Starts a platform on `config.log` (default the embedded log); `dataDir` reuses a data
 * directory (a restart, with the same `log`), default a fresh one.
 */
export async function startPlatform(options: PlatformOptions = {}, config: { dataDir?: string; log?: LogConfig; media?: RuntimeConfigInput['media'] } = {}): Promise<TestPlatform> {
  const lines: string[] = [];
  const dataDir = config.dataDir ?? tempDir('communication-api');
  const logConfig = config.log ?? { backend: 'embedded' };
  const runtime = createPlatform(
    // Webhooks off: these suites test the communication API alone (webhooks have suites of their
    // own); on a loaded 2-core machine their consumers on Kafka push the read-your-writes wait past its bound.
    { dataDir, log: logConfig, http: { port: 0 }, auth: { enabled: true }, webhooks: { enabled: false }, ...(config.media === undefined ? {} : { media: config.media }) },
    { logging: { level: 'warn', write: (line) => lines.push(line) }, ...options, communication: { conversationWaitMs: 200, ...options.communication } },
  );
  await runtime.start();
  const url = runtime.url;
  const token = runtime.systemToken!;
  const request = async (pathname: string, body: string | undefined, opts: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    const bearer = opts.token === undefined ? token : opts.token;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    return readTestResponse(await fetch(url + pathname, { method: 'POST', headers, ...(body === undefined ? {} : { body }) }));
  };
  const append = async (topic: string, records: { key: string; value: Buffer; timestamp: number }[]): Promise<RecordMetadata[]> =>
    records.length === 0 ? [] : runtime.log.append(topic, records.map((r) => ({ key: Buffer.from(r.key), value: r.value, timestamp: r.timestamp })));
  return {
    runtime,
    token,
    lines,
    dataDir,
    logConfig,
    post: (route, body, opts) => request(`/${route}`, body === undefined ? undefined : JSON.stringify(body), opts),
    postRaw: (route, body) => request(`/${route}`, body),
    async seed({ channels = [], messages = [] }) {
      const offsets = [
        ...(await append(COMMUNICATION_TOPICS.channels.name, channels.map((c) => ({ key: c.id, value: serdes.channel.serialize(c), timestamp: Date.now() })))),
        ...(await append(COMMUNICATION_TOPICS.messages.name, messages.map((m) => ({ key: m.id, value: serdes.message.serialize(m), timestamp: m.sentAt })))),
      ];
      const app = runtime.apps.get('communication')!.app;
      expect(await waitForOffsets(app, offsets, 10_000), 'seeded records processed').to.equal(true);
    },
    stop: () => runtime.stop(),
  };
}

/** Asserts an error answer: status and code (never the message). */
export function expectError(res: TestResponse, status: number, code: string): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.json, res.text).to.have.property('code', code);
  expect(Object.keys(res.json).sort()).to.deep.equal(['code', 'message']);
}
