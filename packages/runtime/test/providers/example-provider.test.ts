import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelSerdes } from '@parley/communication';
import { channelId, COMMUNICATION_TOPICS, messageId } from '@parley/schemas';
import { createRuntime, registerProvider, type Runtime } from '../../src/index.js';
import { eventually, forEachBackend, tempDir } from '../helpers.js';
import { EXAMPLE_EVENTS_TOPIC, exampleProvider } from './example-provider.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..', '..', '..');
const SECRET = 'example-signing-secret-0123456789';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

describe('docs/adding-a-provider.md', () => {
  it('quotes only real code: every ts block is verbatim in the example provider or the platform', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'adding-a-provider.md'), 'utf8');
    const sources = [path.join(here, 'example-provider.ts'), path.join(root, 'packages', 'runtime', 'src', 'platform.ts')].map((f) => fs.readFileSync(f, 'utf8'));
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).to.be.at.least(5);
    expect(blocks.filter((block) => !sources.some((source) => source.includes(block)))).to.deep.equal([]);
  });
});

forEachBackend('Providers > the example provider of docs/adding-a-provider.md', function (backend) {
  this.timeout(30_000);
  let runtime: Runtime;

  const start = async (section: Record<string, unknown>) => {
    runtime = createRuntime({ dataDir: tempDir('example-provider'), log: backend.freshLog(), http: { port: 0 }, auth: { enabled: false }, sources: { example: section } }, { logging: { level: 'silent' } });
    registerProvider(runtime, exampleProvider);
    await runtime.start();
  };
  afterEach(() => runtime?.stop());

  it('answers the handshake, refuses a bad signature with 401 and stores nothing, and routes a signed event to a message', async () => {
    await start({ signingSecret: SECRET });
    const handshake = await fetch(`${runtime.url}/webhooks/example?challenge=abc`);
    expect([handshake.status, await handshake.text()]).to.deep.equal([200, 'abc']);

    const connect = await fetch(`${runtime.url}/channels.example.connect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'acct-1' }) });
    expect(connect.status).to.equal(201);

    const body = JSON.stringify({ id: 'e-1', account: 'acct-1', contact: 'ada', text: 'hello', sent_at: 1_700_000_000_000 });
    const forged = await fetch(`${runtime.url}/webhooks/example`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-example-signature': sign(`${body} `) }, body });
    expect([forged.status, ((await forged.json()) as { code: string }).code]).to.deep.equal([401, 'SOURCES_SIGNATURE_INVALID']);
    expect(await runtime.log.read({ topic: EXAMPLE_EVENTS_TOPIC, partition: 0 }, 0)).to.deep.equal([]);

    const signed = await fetch(`${runtime.url}/webhooks/example`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-example-signature': sign(body) }, body });
    expect(signed.status).to.equal(200);
    const expected = messageId(channelId('example', 'acct-1'), 'e-1');
    const serdes = modelSerdes();
    await eventually(async () => {
      const records = await runtime.log.read({ topic: COMMUNICATION_TOPICS.messages.name, partition: 0 }, 0);
      return records.some((r) => serdes.message.deserialize(r.value!).id === expected);
    }, 20_000);
  });

  it('is not registered when its section says enabled: false, and a bad section is RUNTIME_CONFIG_INVALID naming the field', async () => {
    await start({ enabled: false, signingSecret: SECRET });
    expect((await fetch(`${runtime.url}/webhooks/example`, { method: 'POST', body: '{}' })).status).to.equal(404);
    expect([...runtime.apps.keys()]).to.not.include('example-router');
    await runtime.stop();

    const bad = createRuntime({ dataDir: tempDir('example-bad'), http: { port: 0 }, sources: { example: { signingSecret: 'short' } } }, { logging: { level: 'silent' } });
    let err: unknown;
    try {
      registerProvider(bad, exampleProvider);
    } catch (e) {
      err = e;
    }
    expect(err).to.include({ code: 'RUNTIME_CONFIG_INVALID', field: 'sources.example.signingSecret' });
  });
});
