import { callApi } from '../shared/api.js';
import { channelName, contactName, type Conversation } from './api-types.js';

/** Dotted keys and printable values of a metadata object (`contact.display_name` → "Ada"). */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** The contact: name (editable), avatar, ids, and every metadata field of the conversation. */
export function ContactPanel({ conversation, onChange }: { conversation: Conversation; onChange: () => void }) {
  const name = contactName(conversation);
  const avatar = conversation.metadata.contact?.avatar_url;
  const rename = async (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('display-name') as HTMLInputElement;
    if (input.value.trim() === '') return;
    await callApi('conversations.update-contact', { conversation_id: conversation.id, display_name: input.value.trim() });
    onChange();
  };
  const metadata = flatten(conversation.metadata).filter(([key]) => !key.startsWith('tags.'));
  return (
    <aside class="contact-panel" aria-labelledby="contact-title">
      <h2 id="contact-title">Contact</h2>
      {typeof avatar === 'string' && /^https?:\/\//.test(avatar) && <img class="avatar" src={avatar} alt={`Picture of ${name}`} />}
      <form onSubmit={rename} class="rename">
        <label for="display-name">Display name</label>
        <input id="display-name" name="display-name" key={conversation.id} defaultValue={name} maxLength={256} />
        <button type="submit">Save</button>
      </form>
      <dl>
        <dt>Channel</dt>
        <dd>{channelName(conversation.channel)}</dd>
        <dt>Source</dt>
        <dd>{conversation.channel.source}</dd>
        <dt>Contact id at the source</dt>
        <dd>{conversation.source_conversation_id ?? '—'}</dd>
        <dt>First contact</dt>
        <dd>{new Date(conversation.created_at).toLocaleString()}</dd>
        {metadata.flatMap(([key, value]) => [<dt key={`k-${key}`}>{key}</dt>, <dd key={`v-${key}`}>{value}</dd>])}
      </dl>
    </aside>
  );
}
