/**
 * Route authentication with chat plugin tokens (`Authorization: Bearer <chat token>`), through
 * the runtime's per-route `RouteAuthentication` hook: it works whether the runtime's own auth is
 * on or off, and yields a `scoped` principal naming the one conversation the bearer may read and
 * write. Chat tokens are signed with the chat plugin's own key, so the runtime's authenticator
 * refuses them on every other route (and these routes refuse user JWTs).
 */
import { bearerToken } from '../bearer-token.js';
import { HostError } from '../host/host-error.js';
import type { Principal } from '../host/principal.js';
import type { RequestHeaders, RouteAuthentication } from '../host/route-definition.js';
import type { ChatPluginService } from './chatplugin-service.js';
import type { ChatTokenClaims } from './chat-token.js';
import { translated } from './chatplugin-errors.js';

/** The OpenAPI security scheme name of chat tokens. */
export const CHAT_TOKEN_SCHEME = 'chatToken';

const DESCRIPTION =
  'A chat plugin token (HS256 JWT, `typ` chat) from `chatplugin.authenticate`: it names one conversation of one channel; never a user JWT';

/** A chat token's conversation as a principal (`id` = the conversation id). */
export function chatPrincipal(claims: ChatTokenClaims): Principal {
  return {
    kind: 'scoped',
    scheme: CHAT_TOKEN_SCHEME,
    id: claims.conversationId,
    attributes: { conversation_id: claims.conversationId, channel_id: claims.channelId, expires_at: String(claims.expiresAt) },
  };
}

/** The claims a chat principal carries; undefined for any other principal. */
export function chatClaimsOf(principal: Principal): { conversationId: string; channelId: string } | undefined {
  if (principal.kind !== 'scoped' || principal.scheme !== CHAT_TOKEN_SCHEME) return undefined;
  const conversationId = principal.attributes.conversation_id;
  const channelId = principal.attributes.channel_id;
  return conversationId === undefined || channelId === undefined ? undefined : { conversationId, channelId };
}

/**
 * Chat tokens only. No token: RUNTIME_UNAUTHORIZED (401); a token that is not a valid, unexpired
 * chat token: RUNTIME_FORBIDDEN (403); its channel unknown or disconnected: RUNTIME_NOT_FOUND (404).
 */
export function chatTokenAuthentication(service: () => ChatPluginService): RouteAuthentication {
  return {
    scheme: CHAT_TOKEN_SCHEME,
    description: DESCRIPTION,
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (token === undefined) throw new HostError('RUNTIME_UNAUTHORIZED', 'this endpoint needs an "Authorization: Bearer <chat token>" header');
      return chatPrincipal(await translated(() => service().verifyChatToken(token)));
    },
  };
}

/**
 * A chat token, or else whatever the runtime's own auth accepts (system token, user JWT; anyone
 * when it is off). A token signed with the chat key that fails (expired, a resume token) is
 * refused as such rather than tried as a user JWT.
 */
export function chatTokenOrRuntimeAuthentication(service: () => ChatPluginService, runtimeAuthenticate: (headers: RequestHeaders) => Promise<Principal>): RouteAuthentication {
  return {
    scheme: CHAT_TOKEN_SCHEME,
    // One description per scheme in the OpenAPI document: the route's own says it also takes bearerAuth.
    description: DESCRIPTION,
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (token !== undefined) {
        try {
          return chatPrincipal(await translated(() => service().verifyChatToken(token)));
        } catch (err) {
          if (await service().tokens.isSignedByThisKey(token)) throw err;
        }
      }
      return runtimeAuthenticate(headers);
    },
  };
}
