import { uiAssets, type UiAssets } from '@parley/ui';
import type { Runtime } from '../runtime.js';

const NOT_BUILT = 'the browser assets are not built: run `npm run build:ui` (npm start and npm test do it)';

/**
 * The browser parts of the platform: the inbox and control center under `/ui/` (a single-page
 * app: deep links get `index.html`) and the chat widget under `/widget/` (`widget.js`, the script
 * a website embeds, and `demo.html?channel_id=…`, also reached as `/chatplugin/demo?channel_id=…`).
 * Assets come precompressed from @parley/ui's build.
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
  runtime.registerStaticSite({
    mount: '/widget',
    directory: assets.widgetDir,
    aliases: { '/chatplugin/demo': 'demo.html' },
    // For the demo page; `widget.js` itself runs under the CSP of whatever page embeds it.
    headers: { 'Content-Security-Policy': "default-src 'self'; img-src 'self' data: https:; connect-src 'self' ws: wss:", 'Referrer-Policy': 'same-origin' },
    available: assets.built,
    notBuiltHint: NOT_BUILT,
  });
}
