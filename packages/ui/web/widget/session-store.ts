/**
 * Where the widget keeps its resume token between page loads: `localStorage` under
 * `parley.chat.<channel id>`. Storage may be blocked (privacy modes, sandboxed frames): then the
 * chat still works for the page's lifetime, and a reload starts a new conversation.
 */

export interface StoredSession {
  resumeToken: string;
  conversationId: string;
}

export interface SessionStore {
  load(): StoredSession | undefined;
  save(session: StoredSession): void;
  clear(): void;
}

export function sessionStore(channelId: string): SessionStore {
  const key = `parley.chat.${channelId}`;
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        if (raw === null) return undefined;
        const parsed = JSON.parse(raw) as Partial<StoredSession>;
        return typeof parsed.resumeToken === 'string' && typeof parsed.conversationId === 'string' ? { resumeToken: parsed.resumeToken, conversationId: parsed.conversationId } : undefined;
      } catch {
        return undefined;
      }
    },
    save(session) {
      try {
        localStorage.setItem(key, JSON.stringify(session));
      } catch {
        // storage blocked or full: the session lasts as long as the page
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        // storage blocked
      }
    },
  };
}
