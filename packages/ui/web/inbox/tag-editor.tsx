import { callApi } from '../shared/api.js';
import type { Conversation } from './api-types.js';
import type { Catalog } from './use-catalog.js';

/** The conversation's tags, each removable, and a picker to add one (or create a tag by name). */
export function TagEditor({ conversation, catalog, onChange }: { conversation: Conversation; catalog: Catalog; onChange: () => void }) {
  const attached = Object.keys(conversation.metadata.tags ?? {});
  const tags = catalog.tags.filter((t) => attached.includes(t.id));
  const others = catalog.tags.filter((t) => !attached.includes(t.id));
  const tag = async (tagId: string) => {
    await callApi('conversations.tag', { conversation_id: conversation.id, tag_id: tagId });
    onChange();
  };
  const untag = async (tagId: string) => {
    await callApi('conversations.untag', { conversation_id: conversation.id, tag_id: tagId });
    onChange();
  };
  const create = async (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('tag-name') as HTMLInputElement;
    const name = input.value.trim();
    if (name === '') return;
    const created = await callApi<{ id: string }>('tags.create', { name, color: 'tag-blue' });
    input.value = '';
    await catalog.reloadTags();
    await tag(created.id);
  };
  return (
    <div class="tags" role="group" aria-label="Tags">
      <ul class="tag-list">
        {tags.map((t) => (
          <li key={t.id} class={`tag ${t.color}`}>
            {t.name}
            <button type="button" class="tag-remove" aria-label={`Remove tag ${t.name}`} onClick={() => void untag(t.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <>
          <label for="tag-add" class="visually-hidden">
            Add a tag
          </label>
          <select id="tag-add" value="" onChange={(e) => void tag((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Add a tag…</option>
            {others.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </>
      )}
      <form class="tag-create" onSubmit={create}>
        <label for="tag-name" class="visually-hidden">
          New tag name
        </label>
        <input id="tag-name" name="tag-name" placeholder="New tag" maxLength={256} />
        <button type="submit">Create tag</button>
      </form>
    </div>
  );
}
