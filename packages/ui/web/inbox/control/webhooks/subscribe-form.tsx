import { useState } from 'preact/hooks';
import { callApi } from '../../../shared/api';
import type { WebhookJson } from '../shared/api-types';
import { ErrorNotice } from '../shared/error-notice';
import { routeDoc, type OpenApiDocument } from '../shared/openapi';
import { useAction } from '../shared/use-api';

export type Subscribed = WebhookJson & { signing_secret?: string };

/** The event types `webhooks.subscribe` accepts, as this runtime's document lists them. */
export function webhookEventTypes(doc: OpenApiDocument): string[] {
  const events = routeDoc(doc, 'webhooks.subscribe')?.request.properties?.events;
  return (events?.items?.enum ?? []).filter((e): e is string => typeof e === 'string');
}

/** Subscribes a URL to some or all event types, with an optional extra header sent on every delivery. */
export function SubscribeForm({ doc, onSubscribed }: { doc: OpenApiDocument; onSubscribed: (webhook: Subscribed) => void }) {
  const eventTypes = webhookEventTypes(doc);
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [events, setEvents] = useState<ReadonlySet<string>>(new Set());
  const [headerName, setHeaderName] = useState('');
  const [headerValue, setHeaderValue] = useState('');
  const action = useAction((body: Record<string, unknown>) => callApi<Subscribed>('webhooks.subscribe', body));
  const submit = async (event: Event) => {
    event.preventDefault();
    const body: Record<string, unknown> = { url: url.trim() };
    if (name.trim() !== '') body.name = name.trim();
    if (events.size > 0) body.events = eventTypes.filter((e) => events.has(e));
    if (headerName.trim() !== '') body.headers = { [headerName.trim()]: headerValue };
    const answer = await action.run(body);
    if (answer === undefined) return;
    setUrl('');
    setName('');
    setEvents(new Set());
    setHeaderName('');
    setHeaderValue('');
    onSubscribed(answer);
  };
  const toggle = (type: string, on: boolean) => {
    const next = new Set(events);
    if (on) next.add(type);
    else next.delete(type);
    setEvents(next);
  };
  return (
    <form class="cc-form" onSubmit={(e) => void submit(e)}>
      <div class="cc-field">
        <label for="cc-webhook-url">URL</label>
        <input id="cc-webhook-url" type="url" required maxLength={2048} placeholder="https://example.com/parley-events" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </div>
      <div class="cc-field">
        <label for="cc-webhook-name">Name (optional)</label>
        <input id="cc-webhook-name" type="text" maxLength={256} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <fieldset class="cc-field">
        <legend>Events (none checked: all)</legend>
        {eventTypes.map((type) => (
          <div key={type} class="cc-field-check">
            <input id={`cc-event-${type}`} type="checkbox" checked={events.has(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} />
            <label for={`cc-event-${type}`}>{type}</label>
          </div>
        ))}
      </fieldset>
      <fieldset class="cc-field cc-inline">
        <legend>Extra header (optional)</legend>
        <label for="cc-header-name">Header name</label>
        <input id="cc-header-name" type="text" value={headerName} onInput={(e) => setHeaderName(e.currentTarget.value)} />
        <label for="cc-header-value">Header value</label>
        <input id="cc-header-value" type="text" maxLength={4096} value={headerValue} onInput={(e) => setHeaderValue(e.currentTarget.value)} />
      </fieldset>
      <button type="submit" disabled={action.busy}>
        Subscribe
      </button>
      <ErrorNotice error={action.error} />
    </form>
  );
}
