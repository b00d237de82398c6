import { expect } from 'chai';
import { openApiChecker, pointerSegment, type OpenApiChecker } from '../openapi-checker.js';
import { startChatPlatform, type ChatPlatform } from './chatplugin-fixture.js';


/** The chat plugin's routes: the platform serves exactly these under `chatplugin.` and `channels.chatplugin.`. */
const VISITOR_ROUTES = ['chatplugin.authenticate', 'chatplugin.messages', 'chatplugin.resume-token', 'chatplugin.send'];
const CHANNEL_ROUTES = ['channels.chatplugin.connect', 'channels.chatplugin.disconnect', 'channels.chatplugin.update'];

describe('Chatplugin > OpenAPI contract', function () {
  this.timeout(30_000);
  let p: ChatPlatform;
  let doc: any;
  let validate: OpenApiChecker['validate'];
  let expectDescribed: OpenApiChecker['expectDescribed'];

  before(async () => {
    p = await startChatPlatform();
    doc = await (await fetch(`${p.runtime.url}/openapi.json`)).json();
    ({ validate, expectDescribed } = openApiChecker(doc));
  });
  after(() => p.stop());



  it('documents exactly the chat plugin routes, the chat token scheme, and which routes take it', () => {
    const served = p.runtime.routes.map((r) => r.name).filter((n) => n.startsWith('chatplugin.') || n.startsWith('channels.chatplugin.'));
    expect(served.sort()).to.deep.equal([...VISITOR_ROUTES, ...CHANNEL_ROUTES].sort());
    expect(doc.components.securitySchemes.chatToken).to.include({ type: 'http', scheme: 'bearer' });
    const security = (route: string) => doc.paths[`/${route}`].post.security;
    expect(security('chatplugin.authenticate')).to.deep.equal([]);
    for (const route of ['chatplugin.send', 'chatplugin.messages', 'chatplugin.resume-token']) expect(security(route), route).to.deep.equal([{ chatToken: [] }]);
    for (const route of CHANNEL_ROUTES) expect(security(route), route).to.equal(undefined);
  });

  it('validates every example against its request schema', () => {
    for (const name of [...VISITOR_ROUTES, ...CHANNEL_ROUTES]) {
      const route = p.runtime.routes.find((r) => r.name === name)!;
      expect(validate(`/paths/${pointerSegment(`/${name}`)}/post/requestBody/content/application~1json/schema`, route.example), `${name} example`).to.deep.equal([]);
    }
  });

  it('answers every route, successes and refusals, as documented', async () => {
    const checked = new Set<string>();
    const call = async (route: string, body: unknown, token?: string | null, status?: number) => {
      const res = await p.post(route, body, token === undefined ? {} : { token });
      if (status !== undefined) expect(res.status, `${route}: ${res.text}`).to.equal(status);
      expectDescribed(route, res);
      checked.add(route);
      return res;
    };
    const channel = (await call('channels.chatplugin.connect', { name: 'Web', image_url: 'https://acme.example/a.png' }, undefined, 201)).json;
    await call('channels.chatplugin.update', { channel_id: channel.id, name: 'Shop' }, undefined, 200);
    const chat = (await call('chatplugin.authenticate', { channel_id: channel.id }, null, 200)).json;
    await call('chatplugin.send', { message: { text: 'hi' }, client_message_id: 'c-1' }, chat.token, 200);
    await call('chatplugin.messages', { page_size: 5 }, chat.token, 200);
    const resume = (await call('chatplugin.resume-token', {}, chat.token, 200)).json;
    await call('chatplugin.resume-token', { channel_id: channel.id, conversation_id: chat.conversation_id }, undefined, 200);
    await call('chatplugin.authenticate', { resume_token: resume.resume_token }, null, 200);
    // Refusals.
    await call('chatplugin.authenticate', { channel_id: '00000000-0000-4000-8000-000000000000' }, null, 404);
    await call('chatplugin.authenticate', { resume_token: 'x.y.z' }, null, 403);
    await call('chatplugin.authenticate', {}, null, 400);
    for (const route of ['chatplugin.send', 'chatplugin.messages']) {
      await call(route, { message: { text: 'x' } }, null, 401);
      await call(route, { message: { text: 'x' } }, 'x.y.z', 403);
    }
    await call('chatplugin.send', { message: 'not an object' }, chat.token, 400);
    await call('chatplugin.messages', { cursor: 'nope' }, chat.token, 400);
    await call('chatplugin.resume-token', {}, null, 401);
    await call('channels.chatplugin.update', { channel_id: '00000000-0000-4000-8000-000000000000' }, undefined, 404);
    await call('channels.chatplugin.disconnect', { channel_id: channel.id }, undefined, 204);
    await call('chatplugin.send', { message: { text: 'x' } }, chat.token, 404);
    expect([...checked].sort()).to.deep.equal([...VISITOR_ROUTES, ...CHANNEL_ROUTES].sort());
  });
});
