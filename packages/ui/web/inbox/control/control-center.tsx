import './control.css';
import { ChannelsScreen } from './channels/channels-screen';
import { followLink, useLocationPath } from './shared/use-location';
import { CustomSourcesScreen } from './sources/custom-sources-screen';
import { TopologiesScreen } from './topologies/topologies-screen';
import { WebhooksScreen } from './webhooks/webhooks-screen';

/** The control center's screens, each a deep link under BASE. */
export const CONTROL_BASE = '/ui/control';

const SCREENS = [
  { path: 'channels', label: 'Channels' },
  { path: 'sources', label: 'Custom sources' },
  { path: 'webhooks', label: 'Webhooks' },
  { path: 'topologies', label: 'Topologies' },
] as const;

type ScreenPath = (typeof SCREENS)[number]['path'];

/** `/ui/control/webhooks/<id>` → screen `webhooks`, rest `<id>`; `/ui/control` → `channels`. */
function parse(pathname: string): { screen: ScreenPath | undefined; rest: string | undefined } {
  const [screen = 'channels', rest] = pathname.slice(CONTROL_BASE.length).split('/').filter((part) => part !== '');
  return { screen: SCREENS.find((s) => s.path === screen)?.path, rest: rest === undefined ? undefined : decodeURIComponent(rest) };
}

/**
 * The control center: sources and channels, custom sources, webhooks, topologies. Mounted at
 * `/ui/control/*` inside the app's page (its header and `<main>`): it brings its own tabs only.
 */
export function ControlCenter() {
  const { screen, rest } = parse(useLocationPath());
  return (
    <div class="cc">
      <nav aria-label="Control center" class="cc-tabs">
        <ul>
          {SCREENS.map((s) => (
            <li key={s.path}>
              <a
                href={`${CONTROL_BASE}/${s.path}`}
                aria-current={s.path === screen ? 'page' : undefined}
                onClick={followLink(`${CONTROL_BASE}/${s.path}`)}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="cc-main">
        {screen === 'channels' ? <ChannelsScreen /> : null}
        {screen === 'sources' ? <CustomSourcesScreen /> : null}
        {screen === 'webhooks' ? <WebhooksScreen selected={rest} /> : null}
        {screen === 'topologies' ? <TopologiesScreen /> : null}
        {screen === undefined ? (
          <>
            <h1>Not found</h1>
            <p>The control center has no such screen.</p>
          </>
        ) : null}
      </div>
    </div>
  );
}
