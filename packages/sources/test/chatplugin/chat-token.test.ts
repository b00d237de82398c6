import { expect } from 'chai';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ChatTokens, CHAT_TOKEN_AUDIENCE, readClaims, type SourcesError } from '../../src/index.js';
import { codeOf } from '../helpers.js';

const SECRET = 'chat-plugin-test-secret-0123456789abcdef';
const subject = () => ({ conversationId: randomUUID(), channelId: randomUUID() });

/** A token signed by hand, for claims `ChatTokens.sign` never writes. */
function forge(claims: Record<string, unknown>, secret = SECRET, exp = Math.floor(Date.now() / 1000) + 600) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
}

describe('Chatplugin > Chat tokens', () => {
  const tokens = new ChatTokens({ secret: SECRET });

  it('verifies what it signed, with the conversation, the channel and the expiry (1 h for chat, 7 days for resume)', async () => {
    const s = subject();
    const before = Date.now();
    const chat = await tokens.sign('chat', s);
    const resume = await tokens.sign('resume', s);
    const chatClaims = await tokens.verify(chat.token, 'chat');
    const resumeClaims = await tokens.verify(resume.token, 'resume');
    expect([chatClaims.typ, chatClaims.conversationId, chatClaims.channelId, chatClaims.expiresAt]).to.deep.equal(['chat', s.conversationId, s.channelId, chat.expiresAt]);
    expect(resumeClaims.typ).to.equal('resume');
    expect(chat.expiresAt - before).to.be.within(3600_000 - 1000, 3600_000);
    expect(resume.expiresAt - before).to.be.within(7 * 86_400_000 - 1000, 7 * 86_400_000);
  });

  it('refuses a chat token where a resume token is due, and the other way round', async () => {
    const s = subject();
    expect(await codeOf(tokens.verify((await tokens.sign('chat', s)).token, 'resume'))).to.equal('SOURCES_TOKEN_INVALID');
    expect(await codeOf(tokens.verify((await tokens.sign('resume', s)).token, 'chat'))).to.equal('SOURCES_TOKEN_INVALID');
  });

  it('refuses an expired token (past the 5 s tolerance) and one of another key', async () => {
    let now = Date.now();
    const clocked = new ChatTokens({ secret: SECRET, chatTtlSeconds: 60, clock: () => now });
    const { token } = await clocked.sign('chat', subject());
    now += 64_000;
    expect((await clocked.verify(token, 'chat')).typ).to.equal('chat');
    now += 2_000;
    expect(await codeOf(clocked.verify(token, 'chat'))).to.equal('SOURCES_TOKEN_INVALID');
    const other = new ChatTokens({ secret: `${SECRET}-other` });
    expect(await codeOf(other.verify((await tokens.sign('chat', subject())).token, 'chat'))).to.equal('SOURCES_TOKEN_INVALID');
  });

  it('refuses a token of its key without the chat plugin audience (a user JWT signed with the same key)', async () => {
    const s = subject();
    const claims = { typ: 'chat', conversation_id: s.conversationId, channel_id: s.channelId, sub: s.conversationId };
    expect(await codeOf(tokens.verify(await forge(claims), 'chat'))).to.equal('SOURCES_TOKEN_INVALID');
    expect((await tokens.verify(await forge({ ...claims, aud: CHAT_TOKEN_AUDIENCE }), 'chat')).conversationId).to.equal(s.conversationId);
  });

  it('refuses a token whose every byte but one is a valid token (property)', async () => {
    const { token } = await tokens.sign('chat', subject());
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.integer({ min: 1, max: 63 }), async (at, shift) => {
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const index = alphabet.indexOf(token[at]!);
        const replacement = index < 0 ? 'A' : alphabet[(index + shift) % 64]!;
        const tampered = token.slice(0, at) + replacement + token.slice(at + 1);
        // base64url's last character may carry unused bits: a change there can decode to the same bytes.
        if (tampered === token) return;
        let accepted = false;
        try {
          await tokens.verify(tampered, 'chat');
          accepted = true;
        } catch (err) {
          expect((err as SourcesError).code).to.equal('SOURCES_TOKEN_INVALID');
        }
        if (accepted) {
          const decode = (t: string) => t.split('.').map((p) => Buffer.from(p, 'base64url').toString('hex')).join('.');
          expect(decode(tampered), 'only an encoding-equivalent token may pass').to.equal(decode(token));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reads claims only in the shape it signs them (property)', () => {
    const id = fc.oneof(fc.uuid().map((u) => u.toLowerCase()), fc.string(), fc.constant(undefined));
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom('chat', 'resume'), fc.string()), id, id, fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)), fc.boolean(), (typ, conversation, channel, exp, subMatches) => {
        const payload = { typ, conversation_id: conversation, channel_id: channel, exp, sub: subMatches ? conversation : `x${String(conversation)}` };
        const claims = readClaims(payload as never);
        const valid =
          (typ === 'chat' || typ === 'resume') &&
          typeof conversation === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(conversation) &&
          typeof channel === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(channel) &&
          Number.isSafeInteger(exp) && subMatches;
        expect(claims !== undefined).to.equal(valid);
        if (claims !== undefined) expect(claims).to.deep.equal({ typ, conversationId: conversation, channelId: channel, expiresAt: (exp as number) * 1000 });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a short secret and non-id subjects (misuse)', async () => {
    expect(() => new ChatTokens({ secret: 'short' })).to.throw(TypeError);
    let thrown: unknown;
    try {
      await tokens.sign('chat', { conversationId: 'abc', channelId: randomUUID() });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(TypeError);
  });
});
