import { useState } from 'preact/hooks';
import { callApi } from '../../../shared/api';
import type { WebhookJson } from '../shared/api-types';
import { ErrorNotice } from '../shared/error-notice';
import { SecretOnce } from '../shared/secret-once';
import { useAction } from '../shared/use-api';

/**
 * What can be done to one webhook: unsubscribe (or subscribe again, keeping its secret), rotate
 * its signing secret (the new one shown once; the old one keeps signing for a day), and replay
 * the events of the log since a time.
 */
export function WebhookActions({ webhook, onChanged }: { webhook: WebhookJson; onChanged: () => Promise<void> }) {
  const [rotated, setRotated] = useState<{ signing_secret: string; previous_secret_expires_at: string | null } | undefined>(undefined);
  const [since, setSince] = useState('');
  const [replayed, setReplayed] = useState<number | undefined>(undefined);
  const toggle = useAction(async () => {
    if (webhook.status === 'subscribed') await callApi('webhooks.unsubscribe', { id: webhook.id });
    else await callApi('webhooks.subscribe', { id: webhook.id, url: webhook.url });
    await onChanged();
  });
  const rotate = useAction(async () => setRotated(await callApi('webhooks.rotate-secret', { id: webhook.id })));
  const replay = useAction(async () => {
    const answer = await callApi<{ enqueued: number }>('webhooks.replay', { id: webhook.id, since: new Date(since).toISOString() });
    setReplayed(answer.enqueued);
    await onChanged();
  });
  return (
    <div class="cc-webhook-actions">
      <div class="cc-actions">
        <button type="button" disabled={toggle.busy} onClick={() => void toggle.run()}>
          {webhook.status === 'subscribed' ? 'Unsubscribe' : 'Subscribe again'}
        </button>
        <button type="button" disabled={rotate.busy} onClick={() => void rotate.run()}>
          Rotate signing secret
        </button>
      </div>
      <ErrorNotice error={toggle.error ?? rotate.error} />
      {rotated === undefined ? null : (
        <SecretOnce
          title="New signing secret"
          secrets={[{ label: 'Signing secret', value: rotated.signing_secret }]}
          lost={`Deliveries carry the old signature too until ${rotated.previous_secret_expires_at === null ? 'now' : new Date(rotated.previous_secret_expires_at).toLocaleString()}. If it is lost, rotate again.`}
          onDone={() => setRotated(undefined)}
        />
      )}
      <form
        class="cc-form cc-replay"
        onSubmit={(event) => {
          event.preventDefault();
          void replay.run();
        }}
      >
        <div class="cc-field">
          <label for="cc-replay-since">Replay the events logged since</label>
          <input id="cc-replay-since" type="datetime-local" required value={since} onInput={(e) => setSince(e.currentTarget.value)} />
          <small class="cc-hint">Every event still in the log that this webhook's filter selects, with its original id (receivers dedupe on webhook-id).</small>
        </div>
        <button type="submit" disabled={replay.busy}>
          Replay events
        </button>
        <ErrorNotice error={replay.error} />
        <p role="status" class="cc-success-line">
          {replayed === undefined ? '' : `${replayed} event${replayed === 1 ? '' : 's'} queued for replay.`}
        </p>
      </form>
    </div>
  );
}
