/**
 * The set-up the Meta end-to-end tests (Facebook, Instagram, WhatsApp) share: a fake Graph API, a
 * platform with one Meta provider configured against it on a fresh log, and helpers to call the
 * API and the provider's webhook. Call `useMetaPlatform` inside a `forEachBackend` suite: it adds
 * the suite's beforeEach/afterEach.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubSignature } from '@parley/sources';
import { createPlatform, type Runtime } from '../../src/index.js';
import { readTestResponse, tempDir, type TestBackend, type TestResponse } from '../helpers.js';
import { startFakeGraphApi, type FakeManagedPage, type FakeProfile } from './fake-graph-api.js';

export type MetaProvider = 'facebook' | 'instagram' | 'whatsapp';

export const META_APP_SECRET = 'meta-app-secret-0123456789abcdef';
export const GRAPH_VERSION = 'v21.0';

const here = path.dirname(fileURLToPath(import.meta.url));
/** A webhook payload of the provider's fixtures in packages/sources/test/<provider>/fixtures. */
export const metaFixture = (provider: MetaProvider, name: string): Buffer => fs.readFileSync(path.join(here, '..', '..', '..', 'sources', 'test', provider, 'fixtures', name));

export interface MetaPlatformOptions {
  provider: MetaProvider;
  /** The conversation `messages()` lists. */
  conversation: string;
  /** The fake Graph API's tokens by page/account/number, and its contact profiles. */
  pages: Record<string, string>;
  profiles?: Record<string, FakeProfile>;
  /** User tokens → the pages they manage (`GET /me/accounts`), and how many one answer holds. */
  users?: Record<string, FakeManagedPage[]>;
  accountsPageSize?: number;
  /** The provider's config besides `appSecret` and `graph` (`verifyToken`, Facebook's `appId`). */
  config: { verifyToken: string; appId?: string };
  retryDelaysMs: number[];
}

export interface MetaPlatform {
  readonly runtime: Runtime;
  readonly graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
  /** An API call with the system token. */
  post(route: string, body: unknown): Promise<TestResponse>;
  /** A webhook POST, signed with the app secret unless `headers` say otherwise. */
  webhook(body: Buffer, headers?: Record<string, string>): Promise<TestResponse>;
  messages(): Promise<any[]>;
  /** How many records partition 0 of `topic` holds. */
  rawCount(topic: string): Promise<number>;
}

export function useMetaPlatform(backend: TestBackend, options: MetaPlatformOptions): MetaPlatform {
  let runtime: Runtime | undefined;
  let graph: MetaPlatform['graph'] | undefined;
  beforeEach(async () => {
    const { pages, profiles, users, accountsPageSize } = options;
    graph = await startFakeGraphApi({ version: GRAPH_VERSION, pages, ...(profiles === undefined ? {} : { profiles }), ...(users === undefined ? {} : { users }), ...(accountsPageSize === undefined ? {} : { accountsPageSize }) });
    runtime = createPlatform(
      {
        dataDir: tempDir(options.provider),
        log: backend.freshLog(),
        http: { port: 0 },
        sources: { [options.provider]: { ...options.config, appSecret: META_APP_SECRET, graph: { baseUrl: graph.baseUrl, apiVersion: GRAPH_VERSION, retryDelaysMs: options.retryDelaysMs } } },
      },
      { logging: { level: 'silent' }, communication: { conversationWaitMs: 500 } },
    );
    await runtime.start();
  });
  afterEach(async () => {
    await runtime?.stop();
    await graph?.close();
  });

  const platform: MetaPlatform = {
    get runtime() {
      if (runtime === undefined) throw new Error('the platform starts in beforeEach');
      return runtime;
    },
    get graph() {
      if (graph === undefined) throw new Error('the fake Graph API starts in beforeEach');
      return graph;
    },
    post: async (route, body) =>
      readTestResponse(await fetch(`${platform.runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.runtime.systemToken}` }, body: JSON.stringify(body) })),
    webhook: async (body, headers = { 'x-hub-signature-256': hubSignature(META_APP_SECRET, body) }) =>
      readTestResponse(await fetch(`${platform.runtime.url}/webhooks/${options.provider}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })),
    messages: async () => (await platform.post('messages.list', { conversation_id: options.conversation })).json?.data ?? [],
    rawCount: async (topic) => (await platform.runtime.log.read({ topic, partition: 0 }, 0, { maxRecords: 10_000 })).length,
  };
  return platform;
}
