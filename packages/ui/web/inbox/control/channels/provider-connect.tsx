import { useState } from 'preact/hooks';
import { routesMatching, type OpenApiDocument } from '../shared/openapi';
import { OWN_SCREEN_SOURCES, providerForm, providerLabel } from '../providers/registry';

/**
 * The providers this runtime is configured for (those serving `channels.<source>.connect`), each
 * with its connect form; one is open at a time.
 */
export function ProviderConnect({ doc, onConnected }: { doc: OpenApiDocument; onConnected: (channelId: string | undefined) => void }) {
  const routes = [...routesMatching(doc, 'channels.', '.connect')].filter(([source]) => !OWN_SCREEN_SOURCES.has(source)).sort(([a], [b]) => a.localeCompare(b));
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [connected, setConnected] = useState<string | undefined>(undefined);
  return (
    <section aria-labelledby="cc-providers-title" class="cc-card">
      <h2 id="cc-providers-title">Messaging providers</h2>
      {routes.length === 0 ? (
        <p class="cc-note">
          No provider is configured. Add a provider's credentials under <code>sources.&lt;provider&gt;</code> in the configuration (docs/operations.md) and restart:
          its connect form appears here.
        </p>
      ) : (
        <ul class="cc-providers">
          {routes.map(([source, route]) => {
            const Form = providerForm(source);
            const panelId = `cc-provider-${source.replace(/\W/g, '-')}`;
            return (
              <li key={source}>
                <button type="button" aria-expanded={open === source} aria-controls={panelId} onClick={() => setOpen(open === source ? undefined : source)}>
                  Connect {providerLabel(source)}
                </button>
                {open === source ? (
                  <div id={panelId} class="cc-provider-form">
                    <Form
                      route={route}
                      onConnected={(answer) => {
                        setConnected(providerLabel(source));
                        setOpen(undefined);
                        onConnected(idOf(answer));
                      }}
                    />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <p role="status" class="cc-success-line">
        {connected === undefined ? '' : `Connected a ${connected} channel.`}
      </p>
    </section>
  );
}

/** The channel id in a connect route's answer (every built-in route answers one). */
function idOf(answer: unknown): string | undefined {
  const id = typeof answer === 'object' && answer !== null ? (answer as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}
