/**
 * The routes the website widget calls (CORS-enabled, see register-chatplugin.ts):
 * `chatplugin.authenticate` (public), `chatplugin.send` and `chatplugin.messages` (chat token),
 * `chatplugin.resume-token` (chat token, or the system token / a user JWT to mint one for a
 * conversation). A chat token reaches exactly one conversation: ids come from the token, never
 * from the body.
 */
import { z } from 'zod';
import { isCommunicationError, jsonObject, messageSchema, parleyId, renderMessage, type CommunicationReadModel } from '@parley/communication';
import type { RecordMetadata } from '@parley/streams';
import { HostError } from '../host/host-error.js';
import type { Principal } from '../host/principal.js';
import { defineRoute, type AnyRouteDefinition, type RequestHeaders, type RouteContext } from '../host/route-definition.js';
import type { ChatPluginService } from './chatplugin-service.js';
import type { ChatPluginConfig } from './index.js';
import { chatMessageId, CLIENT_MESSAGE_ID_PATTERN } from './mapping.js';
import { chatHistory } from './chat-history.js';
import { chatClaimsOf, chatTokenAuthentication, chatTokenOrRuntimeAuthentication } from './chat-token-auth.js';
import { translated } from './chatplugin-errors.js';

/** What the chat plugin needs of the communication domain the host runs (the runtime's CommunicationApi fits). */
export interface ChatPluginCommunication {
  /** The read model the history and channel answers come from. */
  readonly readModel: CommunicationReadModel;
  /**
   * Before a read: with several instances, the read model here applies what any instance wrote
   * before this request (bounded). Nothing to wait for on one instance.
   */
  beforeRead(ctx: RouteContext): Promise<void>;
  /** Read-your-writes: waits (bounded) until the read model has processed `offsets`. */
  settle(ctx: RouteContext, offsets: readonly RecordMetadata[]): Promise<void>;
}

/** What the chat plugin's routes share. */
export interface ChatPluginRouteContext {
  config: ChatPluginConfig;
  /** The chat plugin instance's service (built on first use, once the log is open). */
  service: () => ChatPluginService;
  api: ChatPluginCommunication;
  /** The host's own authentication (system token, user JWT). */
  runtimeAuthenticate: (headers: RequestHeaders) => Promise<Principal>;
}

const EXAMPLE_CHANNEL = '3c4d5e6f-7a8b-5c9d-8e0f-1a2b3c4d5e6f';
const EXAMPLE_CONVERSATION = '0b7f4c2a-93d1-4e6b-8a5f-2c1d3e4f5a6b';
const isoTime = z.iso.datetime().describe('ISO-8601 UTC with milliseconds');

const historySchema = {
  messages: z.array(messageSchema).describe('The latest messages of the conversation, oldest first'),
  previous_cursor: z.string().nullable().describe('Pass to `chatplugin.messages` for the messages before these; null when there are none'),
};

const sessionSchema = z.strictObject({
  token: z.string().describe('The chat token: `Authorization: Bearer <token>` for chatplugin.send, chatplugin.messages, chatplugin.resume-token and the websocket'),
  expires_at: isoTime.describe('When the chat token expires'),
  conversation_id: z.string(),
  channel_id: z.string(),
  resumed: z.boolean().describe('True when a resume token named the conversation'),
  ...historySchema,
});

/** The four visitor routes. */
export function visitorRoutes(ctx: ChatPluginRouteContext): AnyRouteDefinition[] {
  const service = () => ctx.service();
  return [
    defineRoute({
      name: 'chatplugin.authenticate',
      summary: 'Starts a chat (channel_id) or resumes one (resume_token); answers a chat token and the latest messages',
      description:
        'Public: called by the website widget. `channel_id` starts a new conversation (a random id, empty history); `resume_token` continues the conversation it names with a new chat token. 404 when the channel is unknown or disconnected, 403 for an invalid or expired resume token.',
      auth: false,
      request: z
        .object({
          channel_id: parleyId.optional().describe('The chat plugin channel the widget belongs to'),
          resume_token: z.string().min(1).max(4096).optional().describe('A resume token from chatplugin.resume-token'),
        })
        .refine((b) => (b.channel_id === undefined) !== (b.resume_token === undefined), { message: 'give either channel_id or resume_token', path: ['channel_id'] }),
      response: sessionSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_FORBIDDEN', 'RUNTIME_NOT_READY'],
      example: { channel_id: EXAMPLE_CHANNEL },
      async handler(routeCtx, body) {
        const session = await translated(() => (body.resume_token !== undefined ? service().resumeConversation(body.resume_token) : service().startConversation(body.channel_id!)));
        if (session.resumed) await ctx.api.beforeRead(routeCtx);
        const history = session.resumed
          ? await chatHistory(ctx.api.readModel, { conversationId: session.conversationId, pageSize: ctx.config.historyPageSize })
          : { messages: [], previous_cursor: null };
        return {
          token: session.chat.token,
          expires_at: new Date(session.chat.expiresAt).toISOString(),
          conversation_id: session.conversationId,
          channel_id: session.channelId,
          resumed: session.resumed,
          ...history,
        };
      },
    }),
    defineRoute({
      name: 'chatplugin.resume-token',
      summary: 'A resume token (default 7 days) for the chat token\'s conversation, or for any conversation with the system token',
      description:
        'With a chat token: for its own conversation (the body may repeat its ids, nothing else). With the system token or a user JWT (`bearerAuth`): for `conversation_id` on `channel_id`, to hand to a visitor. The widget keeps it (e.g. in localStorage) and passes it to chatplugin.authenticate to continue the conversation later.',
      auth: chatTokenOrRuntimeAuthentication(service, ctx.runtimeAuthenticate),
      request: z.object({
        channel_id: parleyId.optional().describe('With the system token or a user JWT: the chat plugin channel'),
        conversation_id: parleyId.optional().describe('With the system token or a user JWT: the conversation'),
      }),
      response: z.strictObject({ resume_token: z.string(), expires_at: isoTime }),
      errors: ['RUNTIME_NOT_FOUND'],
      example: { channel_id: EXAMPLE_CHANNEL, conversation_id: EXAMPLE_CONVERSATION },
      async handler(routeCtx, body) {
        const own = chatClaimsOf(routeCtx.principal);
        let subject: { conversationId: string; channelId: string };
        if (own !== undefined) {
          if ((body.conversation_id ?? own.conversationId) !== own.conversationId || (body.channel_id ?? own.channelId) !== own.channelId) {
            throw new HostError('RUNTIME_FORBIDDEN', 'a chat token gets resume tokens for its own conversation only');
          }
          subject = own;
        } else {
          if (body.channel_id === undefined || body.conversation_id === undefined) {
            throw new HostError('RUNTIME_INVALID_REQUEST', 'give channel_id and conversation_id (or call with a chat token)', { field: body.channel_id === undefined ? 'channel_id' : 'conversation_id' });
          }
          subject = { conversationId: body.conversation_id, channelId: body.channel_id };
          await ctx.api.beforeRead(routeCtx);
          const listed = ctx.api.readModel.attached ? ctx.api.readModel.conversation(subject.conversationId) : undefined;
          if (listed !== undefined && listed.channelId !== subject.channelId) {
            throw new HostError('RUNTIME_NOT_FOUND', `conversation ${subject.conversationId} is not on channel ${subject.channelId}`, { field: 'conversation_id' });
          }
        }
        const signed = await translated(() => service().issueResumeToken(subject));
        return { resume_token: signed.token, expires_at: new Date(signed.expiresAt).toISOString() };
      },
    }),
    defineRoute({
      name: 'chatplugin.send',
      summary: "Sends the visitor's message to the chat token's conversation",
      description:
        "Answers once the message is in the log (`source.chatplugin.events`), with the message as messages.list will list it (from the contact, delivered). With `client_message_id` the message id is derived from it, so resending after a lost answer does not duplicate the message. Content: any JSON object, at most `maxContentBytes` (16 KiB).",
      auth: chatTokenAuthentication(service),
      request: z.object({
        message: jsonObject.describe('The message content, e.g. {"text":"Hi"}: any JSON object'),
        client_message_id: z.string().regex(CLIENT_MESSAGE_ID_PATTERN).optional().describe("The widget's id of this message (1-128 printable ASCII characters): makes a retry idempotent"),
      }),
      response: messageSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { message: { text: 'Hi! Do you ship to Lisbon?' }, client_message_id: 'widget-1' },
      async handler(routeCtx, body) {
        const claims = chatClaimsOf(routeCtx.principal)!;
        if (body.client_message_id !== undefined) {
          await ctx.api.beforeRead(routeCtx);
          const stored = storedMessage(ctx.api, chatMessageId(claims.conversationId, body.client_message_id));
          if (stored !== undefined) return stored; // a retry of a message already routed
        }
        const sent = await translated(() => service().send(claims, { content: body.message, clientMessageId: body.client_message_id ?? null }));
        return renderMessage(sent.value);
      },
    }),
    defineRoute({
      name: 'chatplugin.messages',
      summary: "The chat token's conversation: the latest messages, or those before a cursor, oldest first",
      auth: chatTokenAuthentication(service),
      request: z.object({
        cursor: z.string().min(1).max(512).optional().describe('A previous_cursor from chatplugin.authenticate or chatplugin.messages'),
        page_size: z.int().min(1).max(500).optional().describe(`Messages per page; default the configured historyPageSize (${ctx.config.historyPageSize})`),
      }),
      response: z.strictObject(historySchema),
      errors: ['RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { page_size: 20 },
      async handler(routeCtx, body) {
        await ctx.api.beforeRead(routeCtx);
        return chatHistory(ctx.api.readModel, { conversationId: chatClaimsOf(routeCtx.principal)!.conversationId, pageSize: body.page_size ?? ctx.config.historyPageSize, cursor: body.cursor });
      },
    }),
  ];
}

/** The message as the read model has it, or undefined (not routed yet, or the read model still loading). */
function storedMessage(api: ChatPluginCommunication, messageId: string) {
  if (!api.readModel.attached) return undefined;
  try {
    return api.readModel.messageInfo(messageId);
  } catch (err) {
    if (isCommunicationError(err, 'RUNTIME_NOT_FOUND')) return undefined;
    throw err;
  }
}
