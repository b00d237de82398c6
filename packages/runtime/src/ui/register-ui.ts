import { uiAssets, type UiAssets } from '@parley/ui';
import type { Runtime } from '../runtime.js';

const NOT_BUILT = 'the browser assets are not built: run `npm run build:ui` (npm start and npm test do it)';

/**
 * The browser parts of the platform: the inbox and control center under `/ui/` (a single-page
 * app: deep links get `index.html`) and the chat widget under `/widget/` (`widget.js`, the script
 * a website embeds, and `demo.html`). Assets come precompressed from @parley/ui's build.
 */
export function registerUi(runtime: Runtime, assets: UiAssets = uiAssets()): void {
  runtime.registerStaticSite({
    mount: '/ui',
    directory: assets.inboxDir,
    appShell: 'index.html',
    hashedFiles: /-[A-Z0-9]{8}\.(js|css)(\.br|\.gz)?$/,
    // The inbox loads only its own bundles and talks only to this origin (HTTP and websocket).
    headers: { 'Content-Security-Policy': "default-src 'self'; img-src 'self' data: https:; media-src 'self' https:; connect-src 'self' ws: wss:; frame-ancestors 'none'", 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' },
    available: assets.built,
    notBuiltHint: NOT_BUILT,
  });
  runtime.registerStaticSite({ mount: '/widget', directory: assets.widgetDir, available: assets.built, notBuiltHint: NOT_BUILT });
}
