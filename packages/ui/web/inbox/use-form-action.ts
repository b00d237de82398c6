import { useState } from 'preact/hooks';

/**
 * A form's submit handler around an async action on its fields: `busy` while it runs, `error`
 * (from `describe`) when it fails. The action's own success handling unmounts or resets the form.
 */
export function useFormAction(action: (form: FormData) => Promise<void>, describe: (err: unknown) => string) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action(new FormData(event.currentTarget as HTMLFormElement));
    } catch (err) {
      setError(describe(err));
      setBusy(false);
    }
  };
  return { submit, error, busy };
}
