/**
 * The widget's CSS, inside its shadow root. `:host` resets everything the page could pass down
 * (inherited fonts, colours, `all`) with `!important`, which beats the page's own rules on the
 * host element. Colours keep a 4.5:1 contrast. `--parley-chat-accent` may be set by the page.
 */
export const WIDGET_CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: fixed !important;
  right: 20px !important;
  bottom: 20px !important;
  z-index: 2147483000 !important;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif !important;
  color: #1f2937 !important;
  --accent: var(--parley-chat-accent, #1d4ed8);
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button { font: inherit; cursor: pointer; }
button:focus-visible, textarea:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.launcher {
  display: flex; align-items: center; justify-content: center; position: relative;
  width: 56px; height: 56px; margin-left: auto; border: 0; border-radius: 50%;
  background: var(--accent); color: #fff; box-shadow: 0 4px 14px rgba(0, 0, 0, .25);
}
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px;
  border-radius: 10px; background: #b91c1c; color: #fff; font-size: 12px; font-weight: 700; line-height: 20px; text-align: center;
}
.panel {
  display: flex; flex-direction: column; width: min(370px, calc(100vw - 40px)); height: min(560px, calc(100vh - 110px));
  margin-bottom: 12px; overflow: hidden; border-radius: 14px; background: #fff;
  box-shadow: 0 10px 40px rgba(0, 0, 0, .28);
}
header { display: flex; align-items: center; gap: 8px; padding: 14px 16px; background: var(--accent); color: #fff; }
header h2 { flex: 1; margin: 0; font-size: 17px; font-weight: 600; }
.close { width: 32px; height: 32px; border: 0; border-radius: 8px; background: transparent; color: #fff; font-size: 22px; line-height: 1; }
.close:hover { background: rgba(255, 255, 255, .15); }
.status { margin: 0; padding: 6px 16px; background: #fef3c7; color: #78350f; font-size: 13px; }
.status:empty { display: none; }
.scroll { flex: 1; overflow-y: auto; padding: 12px 14px; background: #f3f4f6; }
.welcome { margin: 0 0 10px; padding: 10px 12px; border-radius: 12px; background: #fff; color: #374151; }
.earlier { display: block; margin: 0 auto 10px; padding: 4px 10px; border: 1px solid #6b7280; border-radius: 12px; background: #fff; color: #1f2937; font-size: 13px; }
ol { display: flex; flex-direction: column; gap: 6px; margin: 0; padding: 0; list-style: none; }
.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.agent { align-self: flex-start; background: #fff; color: #111827; border-bottom-left-radius: 4px; }
.msg.visitor { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }
.meta { display: block; margin-top: 2px; font-size: 12px; opacity: .9; }
.msg.failed { background: #fee2e2; color: #7f1d1d; }
.retry { margin-left: 6px; padding: 0 6px; border: 1px solid currentColor; border-radius: 6px; background: transparent; color: inherit; font-size: 12px; }
form { display: flex; align-items: flex-end; gap: 8px; padding: 10px; border-top: 1px solid #e5e7eb; background: #fff; }
textarea {
  flex: 1; min-height: 40px; max-height: 120px; padding: 9px 12px; resize: none;
  border: 1px solid #6b7280; border-radius: 10px; background: #fff; color: #111827; font: inherit;
}
.send { height: 40px; padding: 0 16px; border: 0; border-radius: 10px; background: var(--accent); color: #fff; font-weight: 600; }
.send:disabled { background: #6b7280; cursor: default; }
/* Phones: the open window takes the whole screen (its header has the close button). */
@media (max-width: 480px) {
  .panel { position: fixed; inset: 0; width: 100%; height: 100%; margin: 0; border-radius: 0; }
  textarea { font-size: 16px; } /* below 16px, iOS zooms into the field */
}
`;
