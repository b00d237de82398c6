import { CopyButton } from './copy-button';

/**
 * A secret the runtime answers once (a source token, a webhook signing secret): shown with a copy
 * button and a warning that it cannot be shown again; `lost` says what to do if it is lost.
 * `onDone` hides it for good.
 */
export function SecretOnce({ title, secrets, lost, onDone }: { title: string; secrets: { label: string; value: string }[]; lost: string; onDone: () => void }) {
  return (
    <section class="cc-secret" aria-labelledby="cc-secret-title">
      <h3 id="cc-secret-title">{title}</h3>
      <p class="cc-warning">
        <strong>Copy it now:</strong> it is shown only this once and can never be read back. {lost}
      </p>
      <dl>
        {secrets.map((secret) => (
          <div key={secret.label} class="cc-secret-row">
            <dt>{secret.label}</dt>
            <dd>
              <code class="cc-secret-value">{secret.value}</code>
              <CopyButton text={secret.value} label={`Copy ${secret.label.toLowerCase()}`} />
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
