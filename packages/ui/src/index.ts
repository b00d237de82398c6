import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built browser assets are. `npm run build:assets -w @parley/ui` (part of `npm start`,
 * `npm test` and `npm pack`) writes them to `dist/assets/`, each file next to its `.gz` and `.br`.
 */
export interface UiAssets {
  /** The inbox and control center: a single-page app (`index.html` and hashed bundles). */
  inboxDir: string;
  /** The chat widget (`widget.js`) and its demo page (`demo.html`). */
  widgetDir: string;
  /** Whether the build has run: the directories exist and hold an `index.html` / `widget.js`. */
  built: boolean;
}

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The asset directories of this installation of @parley/ui. */
export function uiAssets(root: string = PACKAGE_ROOT): UiAssets {
  const inboxDir = path.join(root, 'dist', 'assets', 'inbox');
  const widgetDir = path.join(root, 'dist', 'assets', 'widget');
  const built = fs.existsSync(path.join(inboxDir, 'index.html')) && fs.existsSync(path.join(widgetDir, 'widget.js'));
  return { inboxDir, widgetDir, built };
}
