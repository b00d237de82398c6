/**
 * The chat plugin's visitor routes, called from the page that embeds the widget: `POST
 * <apiOrigin>/chatplugin.*` with the chat token as a bearer header (CORS, no cookies). The API
 * origin is the widget script's own, which may differ from the page's.
 */
import { ApiError, type ApiErrorBody } from '../shared/api.js';
import type { ChatSessionAnswer, HistoryPage, WireMessage } from './wire.js';

export interface ChatApi {
  /** A new conversation on the channel, or the one a resume token names. */
  authenticate(body: { channel_id: string } | { resume_token: string }): Promise<ChatSessionAnswer>;
  resumeToken(chatToken: string): Promise<{ resume_token: string; expires_at: string }>;
  send(chatToken: string, body: { message: { text: string }; client_message_id: string }): Promise<WireMessage>;
  messages(chatToken: string, body: { cursor?: string }): Promise<HistoryPage>;
}

/** The visitor routes at `origin` (`https://parley.example`). Refusals reject with ApiError; network failures with TypeError. */
export function chatApi(origin: string): ChatApi {
  const call = async <T>(route: string, body: unknown, token?: string): Promise<T> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${origin}/${route}`, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'omit', mode: 'cors' });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const error = (parsed ?? {}) as Partial<ApiErrorBody>;
      throw new ApiError(res.status, error.code ?? 'UNKNOWN', error.message ?? res.statusText);
    }
    return parsed as T;
  };
  return {
    authenticate: (body) => call('chatplugin.authenticate', body),
    resumeToken: (token) => call('chatplugin.resume-token', {}, token),
    send: (token, body) => call('chatplugin.send', body, token),
    messages: (token, body) => call('chatplugin.messages', body, token),
  };
}
