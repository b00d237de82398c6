import { useState } from 'preact/hooks';
import { callApi } from '../../../shared/api';
import type { ListOf, WebhookDeadLetter, WebhookDelivery, WebhookJson } from '../shared/api-types';
import { DataTable } from '../shared/data-table';
import { ErrorNotice } from '../shared/error-notice';
import { useAction, useApi } from '../shared/use-api';
import { navigate } from '../shared/use-location';
import { WebhookActions } from './webhook-actions';
import { WebhookStatusBadge } from './webhook-status';

/**
 * One webhook: its settings and actions (webhook-actions.tsx), its dead letters and a replay of
 * them, and its recent delivery attempts.
 */
export function WebhookDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const info = useApi<WebhookJson>('webhooks.info', { id });
  const deliveries = useApi<ListOf<WebhookDelivery>>('webhooks.deliveries', { id, page_size: 50 });
  const dead = useApi<ListOf<WebhookDeadLetter>>('webhooks.dead-letters', { id });
  const [replayed, setReplayed] = useState<number | undefined>(undefined);
  const reloadAll = async () => {
    await Promise.all([info.reload(), deliveries.reload(), dead.reload()]);
  };
  const replay = useAction(async () => {
    const answer = await callApi<{ enqueued: number }>('webhooks.replay', { id, dead_letters: true });
    setReplayed(answer.enqueued);
    await reloadAll();
  });
  const webhook = info.data;
  return (
    <section aria-labelledby="cc-webhook-title" class="cc-card cc-detail">
      <div class="cc-heading-row">
        <h2 id="cc-webhook-title">{webhook === undefined ? 'Webhook' : `Webhook ${webhook.name ?? webhook.url}`}</h2>
        <button type="button" onClick={() => void reloadAll()}>
          Refresh
        </button>
        <button type="button" onClick={() => navigate('/ui/control/webhooks')}>
          Close
        </button>
      </div>
      <ErrorNotice error={info.error} />
      {webhook === undefined ? null : (
        <>
          <dl class="cc-facts">
            <dt>URL</dt>
            <dd>
              <code>{webhook.url}</code>
            </dd>
            <dt>Events</dt>
            <dd>{webhook.events.length === 0 ? 'all' : webhook.events.join(', ')}</dd>
            <dt>Status</dt>
            <dd>
              <WebhookStatusBadge webhook={webhook} />
            </dd>
            <dt>Subscribed at</dt>
            <dd>{new Date(webhook.subscribed_at).toLocaleString()}</dd>
            <dt>Signed</dt>
            <dd>{webhook.signed ? 'yes' : 'no'}</dd>
            <dt>Id</dt>
            <dd>
              <code>{webhook.id}</code>
            </dd>
          </dl>
          <WebhookActions
            webhook={webhook}
            onChanged={async () => {
              await reloadAll();
              onChanged();
            }}
          />
        </>
      )}
      <h3>Dead letters</h3>
      <ErrorNotice error={dead.error} />
      {dead.data === undefined ? null : dead.data.data.length === 0 ? (
        <p class="cc-empty">No dead letters.</p>
      ) : (
        <>
          <DataTable columns={['Event', 'Type', 'Attempts', 'Last error', 'Dead since']}>
            {dead.data.data.map((letter) => (
              <tr key={letter.event_id}>
                <td>
                  <code>{letter.event_id}</code>
                </td>
                <td>{typeof letter.event.type === 'string' ? letter.event.type : '—'}</td>
                <td>{letter.attempts}</td>
                <td>{letter.last_error}</td>
                <td>{new Date(letter.dead_at).toLocaleString()}</td>
              </tr>
            ))}
          </DataTable>
          <button type="button" disabled={replay.busy} onClick={() => void replay.run()}>
            Replay {dead.data.data.length} dead letter{dead.data.data.length === 1 ? '' : 's'}
          </button>
        </>
      )}
      <ErrorNotice error={replay.error} />
      <p role="status" class="cc-success-line">
        {replayed === undefined ? '' : `${replayed} deliver${replayed === 1 ? 'y' : 'ies'} queued again.`}
      </p>
      <h3>Recent deliveries</h3>
      <ErrorNotice error={deliveries.error} />
      {deliveries.data === undefined ? null : deliveries.data.data.length === 0 ? (
        <p class="cc-empty">No delivery attempts yet.</p>
      ) : (
        <DataTable columns={['At', 'Event', 'Attempt', 'Outcome', 'HTTP status', 'Latency', 'Error']}>
          {deliveries.data.data.map((delivery) => (
            <tr key={`${delivery.event_id}-${delivery.attempt}-${delivery.at}`}>
              <td>{new Date(delivery.at).toLocaleString()}</td>
              <td>
                <code>{delivery.event_id}</code>
              </td>
              <td>{delivery.attempt}</td>
              <td>
                <span class={`cc-state ${delivery.outcome === 'delivered' ? 'cc-state-ok' : delivery.outcome === 'retrying' ? 'cc-state-warn' : 'cc-state-bad'}`}>{delivery.outcome}</span>
              </td>
              <td>{delivery.status ?? '—'}</td>
              <td>{Math.round(delivery.latency_ms)} ms</td>
              <td>{delivery.error ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
