import { useState } from 'preact/hooks';
import { callApi } from '../../../shared/api';
import type { ChannelJson, SourceJson } from '../shared/api-types';
import { ErrorNotice } from '../shared/error-notice';
import { routeDoc, type OpenApiDocument } from '../shared/openapi';
import { useAction } from '../shared/use-api';
import { RouteForm } from '../providers/route-form';

/** One custom source: add a channel to it (`sources.channels.create`), or delete it (asked twice). */
export function SourceRow({ source, doc, onChanged }: { source: SourceJson; doc: OpenApiDocument; onChanged: () => void }) {
  const [panel, setPanel] = useState<'none' | 'channel' | 'delete'>('none');
  const [added, setAdded] = useState<ChannelJson | undefined>(undefined);
  const remove = useAction(async () => {
    await callApi('sources.delete', { id: source.id });
    onChanged();
  });
  const addChannel = routeDoc(doc, 'sources.channels.create');
  return (
    <>
      <tr>
        <td>
          <code>{source.id}</code>
        </td>
        <td>{source.name ?? '—'}</td>
        <td>{source.action_endpoint ?? '—'}</td>
        <td>
          <time dateTime={new Date(source.created_at).toISOString()}>{new Date(source.created_at).toLocaleString()}</time>
        </td>
        <td>
          <div class="cc-actions">
            {addChannel === undefined ? null : (
              <button type="button" aria-expanded={panel === 'channel'} onClick={() => setPanel(panel === 'channel' ? 'none' : 'channel')}>
                Add channel
              </button>
            )}
            {panel === 'delete' ? (
              <>
                <button type="button" class="cc-danger" disabled={remove.busy} onClick={() => void remove.run()}>
                  Confirm delete of {source.id}
                </button>
                <button type="button" onClick={() => setPanel('none')}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setPanel('delete')}>
                Delete
              </button>
            )}
            <ErrorNotice error={remove.error} />
          </div>
        </td>
      </tr>
      {panel === 'channel' && addChannel !== undefined ? (
        <tr>
          <td colSpan={5}>
            <RouteForm<ChannelJson>
              route={addChannel}
              fixed={{ source_id: source.id }}
              submitLabel={`Add channel to ${source.id}`}
              onDone={(channel) => {
                setAdded(channel);
                setPanel('none');
              }}
            />
          </td>
        </tr>
      ) : null}
      {added === undefined ? null : (
        <tr>
          <td colSpan={5} role="status" class="cc-success-line">
            Channel <code>{added.source_channel_id}</code> connected (id <code>{added.id}</code>).
          </td>
        </tr>
      )}
    </>
  );
}
