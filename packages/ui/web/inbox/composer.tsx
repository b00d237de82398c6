import { useState } from 'preact/hooks';
import { callApi } from '../shared/api.js';
import type { Conversation, Template } from './api-types.js';
import { textContent } from './content-parts.js';

/** The reply box: text (Enter sends, Shift+Enter breaks the line) or a template of the conversation's source. */
export function Composer({ conversation, templates }: { conversation: Conversation; templates: Template[] }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const source = conversation.channel.source;
  const usable = templates.filter((t) => t.source === source);
  const send = async (message: unknown) => {
    setBusy(true);
    setError(undefined);
    try {
      await callApi('messages.send', { conversation_id: conversation.id, message });
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (text.trim() === '' || busy) return;
    if (await send(textContent(source, text))) setText('');
  };
  return (
    <form class="composer" onSubmit={submit} aria-label="Reply">
      <label for="composer-text" class="visually-hidden">
        Reply to the contact
      </label>
      <textarea
        id="composer-text"
        rows={2}
        value={text}
        placeholder="Write a reply… (Enter sends, Shift+Enter for a new line)"
        onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) void submit(e);
        }}
      />
      <div class="composer-actions">
        {usable.length > 0 && (
          <>
            <label for="composer-template" class="visually-hidden">
              Send a template
            </label>
            <select
              id="composer-template"
              value=""
              onChange={(e) => {
                const template = usable.find((t) => t.id === (e.currentTarget as HTMLSelectElement).value);
                if (template !== undefined) void send(template.content);
              }}
            >
              <option value="">Send a template…</option>
              {usable.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="submit" class="primary" disabled={busy || text.trim() === ''}>
          Send
        </button>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
