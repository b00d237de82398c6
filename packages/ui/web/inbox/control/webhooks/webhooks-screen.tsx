import { useState } from 'preact/hooks';
import type { ListOf, WebhookJson } from '../shared/api-types';
import { DataTable } from '../shared/data-table';
import { ErrorNotice } from '../shared/error-notice';
import { useOpenApi } from '../shared/openapi';
import { SecretOnce } from '../shared/secret-once';
import { useApi } from '../shared/use-api';
import { followLink } from '../shared/use-location';
import { SubscribeForm, type Subscribed } from './subscribe-form';
import { WebhookDetail } from './webhook-detail';
import { WebhookStatusBadge } from './webhook-status';

/** Webhooks: subscribe a URL, the list, and one webhook's deliveries and dead letters (`/ui/control/webhooks/<id>`). */
export function WebhooksScreen({ selected }: { selected: string | undefined }) {
  const webhooks = useApi<ListOf<WebhookJson>>('webhooks.list');
  const { doc, failure } = useOpenApi();
  const [created, setCreated] = useState<Subscribed | undefined>(undefined);
  return (
    <>
      <h1>Webhooks</h1>
      {selected === undefined ? null : <WebhookDetail id={selected} onChanged={() => void webhooks.reload()} />}
      <section aria-labelledby="cc-webhooks-title" class="cc-card">
        <div class="cc-heading-row">
          <h2 id="cc-webhooks-title">Subscriptions</h2>
          <button type="button" onClick={() => void webhooks.reload()} disabled={webhooks.loading}>
            Refresh
          </button>
        </div>
        <ErrorNotice error={webhooks.error} />
        {webhooks.data === undefined ? (
          <p aria-busy="true">Loading…</p>
        ) : webhooks.data.data.length === 0 ? (
          <p class="cc-empty">No webhooks yet.</p>
        ) : (
          <DataTable columns={['Name', 'URL', 'Events', 'Status']}>
            {webhooks.data.data.map((webhook) => (
              <tr key={webhook.id} aria-current={webhook.id === selected ? 'true' : undefined}>
                <td>
                  <a
                    href={`/ui/control/webhooks/${webhook.id}`}
                    onClick={followLink(`/ui/control/webhooks/${webhook.id}`)}
                  >
                    {webhook.name ?? webhook.id}
                  </a>
                </td>
                <td>
                  <code>{webhook.url}</code>
                </td>
                <td>{webhook.events.length === 0 ? 'all' : webhook.events.join(', ')}</td>
                <td>
                  <WebhookStatusBadge webhook={webhook} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="cc-subscribe-title" class="cc-card">
        <h2 id="cc-subscribe-title">Subscribe</h2>
        <p class="cc-note">
          Parley POSTs each event to the URL, signed (Standard Webhooks), retrying with backoff; events it could not deliver become dead letters you can replay.
          Only events logged after subscribing are sent.
        </p>
        {failure === undefined ? null : <p class="cc-error" role="alert">{failure}</p>}
        {doc === undefined ? null : (
          <SubscribeForm
            doc={doc}
            onSubscribed={(webhook) => {
              setCreated(webhook);
              void webhooks.reload();
            }}
          />
        )}
        {created?.signing_secret === undefined ? null : (
          <SecretOnce
            title={`Signing secret of ${created.name ?? created.url}`}
            secrets={[{ label: 'Signing secret', value: created.signing_secret }]}
            lost="If it is lost, rotate it (webhooks.rotate-secret)."
            onDone={() => setCreated(undefined)}
          />
        )}
      </section>
    </>
  );
}
