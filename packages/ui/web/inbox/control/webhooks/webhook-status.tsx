import type { WebhookJson } from '../shared/api-types';

/** A webhook's status in words, with the reason when it was disabled. */
export function WebhookStatusBadge({ webhook }: { webhook: WebhookJson }) {
  const tone = webhook.status === 'subscribed' ? 'cc-state-ok' : webhook.status === 'disabled' ? 'cc-state-bad' : 'cc-state-off';
  return (
    <span class={`cc-state ${tone}`} title={webhook.disabled_reason ?? undefined}>
      {webhook.status}
      {webhook.disabled_reason === null ? '' : ` (${webhook.disabled_reason})`}
    </span>
  );
}
