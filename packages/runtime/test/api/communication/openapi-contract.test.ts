import { expect } from 'chai';
import { openApiChecker, pointerSegment, type OpenApiChecker } from '../../openapi-checker.js';
import { BUILT_IN_ROUTES } from '../../../src/index.js';
import { FACEBOOK_CHANNEL, facebookChannel, facebookConversation, facebookMessage } from '@parley/communication/testing';
import { contactId } from '@parley/schemas';
import { forEachBackend } from '../../helpers.js';
import { startPlatform, type TestPlatform } from './platform-fixture.js';

/** A JSON pointer segment. */

/** The communication endpoints; the platform must serve exactly these besides the built-in and Source API routes. */
const COMMUNICATION_ROUTES = [
  'conversations.list', 'conversations.info', 'conversations.mark-read', 'conversations.tag', 'conversations.untag',
  'conversations.set-state', 'conversations.remove-state', 'conversations.update-contact',
  'messages.list', 'messages.send', 'messages.resend', 'metadata.upsert',
  'channels.list', 'channels.info', 'channels.update',
  'tags.create', 'tags.update', 'tags.delete', 'tags.list',
  'templates.create', 'templates.info', 'templates.update', 'templates.delete', 'templates.list',
  'contacts.create', 'contacts.import', 'contacts.list', 'contacts.info', 'contacts.update', 'contacts.merge', 'contacts.delete', 'contacts.recent-messages',
  'messages.suggest-replies', 'conversations.refetch',
];

forEachBackend('Api > Communication > OpenAPI contract', function (backend) {
  this.timeout(30_000);
  let p: TestPlatform;
  let doc: any;
  let validate: OpenApiChecker['validate'];
  let expectDescribed: OpenApiChecker['expectDescribed'];
  const ada = facebookConversation('psid-ada');
  const now = Date.now();
  const failed = facebookMessage({ psid: 'psid-ada', mid: 'm_out', sentAt: now - 2000, senderType: 'USER', deliveryState: 'FAILED', updatedAt: now - 1900 });

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
    await p.seed({ channels: [facebookChannel()], messages: [facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: now - 3000 }), failed] });
    doc = await (await fetch(`${p.runtime.url}/openapi.json`)).json();
    ({ validate, expectDescribed } = openApiChecker(doc));
  });
  after(() => p.stop());



  it('documents every communication route, and the platform serves no other undocumented group', () => {
    const served = p.runtime.routes.map((r) => r.name);
    const builtIn = new Set(BUILT_IN_ROUTES.map((r) => r.name));
    // The sources', the webhooks', the media, reprocessing's and the user accounts' routes have tests of their own (test/sources, test/chatplugin, test/webhooks, test/api/media.test.ts, test/reprocess, test/auth).
    const sourceRoute = (name: string) => ['sources.', 'chatplugin.', 'channels.chatplugin.', 'webhooks.', 'media.', 'reprocess.', 'users.', 'auth.'].some((prefix) => name.startsWith(prefix));
    expect(served.filter((name) => !builtIn.has(name) && !sourceRoute(name)).sort()).to.deep.equal([...COMMUNICATION_ROUTES].sort());
    for (const name of COMMUNICATION_ROUTES) expect(doc.paths, name).to.have.property(`/${name}`);
  });

  it("validates each route's example against its request schema, and answers it as documented (2xx, or 404 for the example ids)", async () => {
    for (const name of COMMUNICATION_ROUTES) {
      const route = p.runtime.routes.find((r) => r.name === name)!;
      expect(validate(`/paths/${pointerSegment(`/${name}`)}/post/requestBody/content/application~1json/schema`, route.example), `${name} example`).to.deep.equal([]);
      const res = await p.post(name, route.example);
      expect(res.status === 404 ? res.json.code : res.status, `${name}: ${res.text}`).to.be.oneOf(['RUNTIME_NOT_FOUND', 200, 201, 204]);
      expectDescribed(name, res);
    }
  });

  it('answers every route called on real data with a response the document describes', async () => {
    const tag = await p.post('tags.create', { name: 'VIP', color: 'tag-purple' });
    const template = await p.post('templates.create', { name: 'Hi', source: 'facebook', content: { text: 'Hi' } });
    const calls: [string, object][] = [
      ['tags.create', { name: 'Other', color: 'tag-green' }],
      ['tags.list', {}],
      ['tags.update', { id: tag.json.id, name: 'V.I.P.' }],
      ['conversations.tag', { conversation_id: ada, tag_id: tag.json.id }],
      ['conversations.list', { filters: { tag_ids: [tag.json.id] }, page_size: 1 }],
      ['conversations.info', { conversation_id: ada }],
      ['conversations.untag', { conversation_id: ada, tag_id: tag.json.id }],
      ['conversations.mark-read', { conversation_id: ada }],
      ['conversations.set-state', { conversation_id: ada, state: 'OPEN' }],
      ['conversations.remove-state', { conversation_id: ada }],
      ['conversations.update-contact', { conversation_id: ada, display_name: 'Ada' }],
      ['messages.send', { conversation_id: ada, message: { text: 'Hello' } }],
      ['messages.list', { conversation_id: ada, page_size: 2 }],
      ['messages.resend', { message_id: failed.id }],
      ['metadata.upsert', { subject: 'conversation', id: ada, data: { erp: { id: 1 } } }],
      ['channels.list', {}],
      ['channels.info', { channel_id: FACEBOOK_CHANNEL }],
      ['channels.update', { channel_id: FACEBOOK_CHANNEL, name: 'Page', image_url: 'https://example.com/a.png' }],
      ['templates.create', { name: 'Bye', source: 'facebook', content: 'Bye' }],
      ['templates.info', { id: template.json.id }],
      ['templates.update', { id: template.json.id, content: { text: 'Hey' } }],
      ['templates.list', {}],
      ['templates.delete', { id: template.json.id }],
      ['tags.delete', { id: tag.json.id }],
      ['messages.suggest-replies', { message_id: failed.id }],
      ['contacts.create', { display_name: 'Ada', address: { city: 'London' } }],
      ['contacts.import', [{ display_name: 'Bob' }]],
      ['contacts.list', { page_size: 1 }],
      ['contacts.info', { conversation_id: ada }],
      ['contacts.recent-messages', { contact_id: contactId(ada), page_size: 1 }],
    ];
    const checked = new Set<string>();
    const check = async (name: string, body: object) => {
      const res = await p.post(name, body);
      expect(res.status, `${name}: ${res.text}`).to.be.below(300);
      expectDescribed(name, res);
      checked.add(name);
      return res;
    };
    for (const [name, body] of calls) await check(name, body);
    const other = (await p.post('contacts.create', { display_name: 'Other' })).json.id;
    await check('contacts.update', { id: other, title: 'Dr' });
    await check('contacts.merge', { source_id: contactId(ada), destination_id: other });
    await check('contacts.delete', { id: other });
    // No provider here fetches contact profiles: refetch answers its documented 409 (the Facebook suite covers the 202).
    const refetch = await p.post('conversations.refetch', { conversation_id: ada });
    expect(refetch.json?.code).to.equal('RUNTIME_NOT_SUPPORTED');
    expectDescribed('conversations.refetch', refetch);
    checked.add('conversations.refetch');
    expect([...checked].sort()).to.deep.equal([...COMMUNICATION_ROUTES].sort());
  });

  it('describes the 400 answers (invalid JSON, not an object, required fields missing) and the 401 of every route', async () => {
    const requiring: string[] = [];
    for (const name of COMMUNICATION_ROUTES) {
      const invalidJson = await p.postRaw(name, '{"broken');
      expect(invalidJson.json?.code, name).to.equal('RUNTIME_INVALID_JSON');
      expectDescribed(name, invalidJson);
      const notAnObject = await p.post(name, [1, 2]);
      expect(notAnObject.json?.code, name).to.equal('RUNTIME_INVALID_REQUEST');
      expectDescribed(name, notAnObject);
      // Every field the document marks required is enforced (an empty body misses them all).
      const required: string[] = doc.paths[`/${name}`].post.requestBody.content['application/json'].schema.required ?? [];
      if (required.length > 0) {
        const empty = await p.post(name, {});
        expect(empty.json?.code, `${name} without ${required.join(', ')}`).to.equal('RUNTIME_INVALID_REQUEST');
        expectDescribed(name, empty);
        requiring.push(name);
      }
      const anonymous = await p.post(name, {}, { token: null });
      expect(anonymous.status, name).to.equal(401);
      expectDescribed(name, anonymous);
    }
    // Only the lists, contacts.create (every field optional) and contacts.info (id or conversation_id) take an object without required fields.
    expect(COMMUNICATION_ROUTES.filter((name) => !requiring.includes(name))).to.deep.equal([
      'conversations.list', 'channels.list', 'tags.list', 'templates.list', 'contacts.create', 'contacts.import', 'contacts.list', 'contacts.info',
    ]);
  });
});
