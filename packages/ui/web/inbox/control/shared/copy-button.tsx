import { useState } from 'preact/hooks';

/**
 * Copies `text` to the clipboard and says so. Where the clipboard API is refused (not a secure
 * context, or no permission), it says to copy by hand: the text stays selectable beside it.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span class="cc-copy">
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" class="cc-copy-status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy refused by the browser: select the text and copy it' : ''}
      </span>
    </span>
  );
}
