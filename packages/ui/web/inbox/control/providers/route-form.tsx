import { useId, useState } from 'preact/hooks';
import { callApi } from '../../../shared/api';
import { ErrorNotice } from '../shared/error-notice';
import { useAction } from '../shared/use-api';
import type { RouteDoc } from '../shared/openapi';
import { requestBody, requestFields, type FormField } from './request-fields';

/**
 * A form for one route, its fields read from the route's request schema, so it follows the API
 * as it changes. `fixed` fields are sent as given, not asked for. `onDone` gets the route's answer.
 */
export function RouteForm<T>({ route, submitLabel, fixed = {}, onDone }: { route: RouteDoc; submitLabel: string; fixed?: Record<string, unknown>; onDone: (answer: T) => void }) {
  const parsed = requestFields(route.request, new Set(Object.keys(fixed)));
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const action = useAction((body: Record<string, unknown>) => callApi<T>(route.name, body));
  const idPrefix = useId();
  if (!parsed.supported) {
    return (
      <p class="cc-note">
        <code>{route.name}</code> asks for <code>{parsed.field}</code>, which this generic form cannot ask for: call the route directly (docs/api.md).
      </p>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = await action.run({ ...requestBody(parsed.fields, values), ...fixed });
    if (answer !== undefined) {
      setValues({});
      onDone(answer);
    }
  };
  const set = (name: string, value: string | boolean) => setValues({ ...values, [name]: value });
  return (
    <form class="cc-form" onSubmit={(event) => void submit(event)}>
      {parsed.fields.map((field) => (
        <FieldInput key={field.name} id={`${idPrefix}-${field.name}`} field={field} value={values[field.name]} onChange={(value) => set(field.name, value)} />
      ))}
      <button type="submit" disabled={action.busy}>
        {submitLabel}
      </button>
      <ErrorNotice error={action.error} />
    </form>
  );
}

function FieldInput({ id, field, value, onChange }: { id: string; field: FormField; value: string | boolean | undefined; onChange: (value: string | boolean) => void }) {
  const hintId = field.description === undefined ? undefined : `${id}-hint`;
  const label = `${field.label}${field.required ? '' : ' (optional)'}`;
  const hint = hintId === undefined ? null : (
    <small id={hintId} class="cc-hint">
      {field.description}
    </small>
  );
  if (field.kind === 'checkbox') {
    return (
      <div class="cc-field cc-field-check">
        <input id={id} type="checkbox" checked={value === true} aria-describedby={hintId} onChange={(e) => onChange(e.currentTarget.checked)} />
        <label for={id}>{label}</label>
        {hint}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <div class="cc-field">
      <label for={id}>{label}</label>
      {field.kind === 'select' ? (
        <select id={id} required={field.required} value={text} aria-describedby={hintId} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">{field.required ? 'Choose…' : '(default)'}</option>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <TextInput id={id} field={field} value={text} hintId={hintId} onChange={onChange} />
      )}
      {hint}
    </div>
  );
}

/** A text, secret, URL or number input (Preact types each input `type` apart, so each gets its own element). */
function TextInput({ id, field, value, hintId, onChange }: { id: string; field: FormField; value: string; hintId: string | undefined; onChange: (value: string) => void }) {
  const common = { id, required: field.required, value, 'aria-describedby': hintId, onInput: (e: { currentTarget: HTMLInputElement }) => onChange(e.currentTarget.value) };
  if (field.kind === 'number') return <input type="number" step={field.integer ? 1 : 'any'} {...common} />;
  if (field.kind === 'secret') return <input type="password" autoComplete="off" minLength={field.minLength} maxLength={field.maxLength} {...common} />;
  if (field.kind === 'url') return <input type="url" maxLength={field.maxLength} {...common} />;
  return <input type="text" minLength={field.minLength} maxLength={field.maxLength} {...common} />;
}
