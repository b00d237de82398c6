import { useEffect, useState } from 'preact/hooks';
import type { AppStatus, ListOf } from '../shared/api-types';
import { DataTable } from '../shared/data-table';
import { ErrorNotice } from '../shared/error-notice';
import { useApi } from '../shared/use-api';
import { RuntimeSummary } from './runtime-summary';

const AUTO_REFRESH_MS = 5000;

/** The streams applications (`apps.status`): state, records processed, lag and how far caught up, per input partition on demand; and the runtime (`client.config`). */
export function TopologiesScreen() {
  const apps = useApi<ListOf<AppStatus>>('apps.status');
  const [auto, setAuto] = useState(true);
  const [checkedAt, setCheckedAt] = useState<Date | undefined>(undefined);
  useEffect(() => {
    if (apps.data !== undefined) setCheckedAt(new Date());
  }, [apps.data]);
  useEffect(() => {
    if (!auto) return undefined;
    const timer = setInterval(() => void apps.reload(), AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto, apps.reload]);
  return (
    <>
      <h1>Topologies</h1>
      <section aria-labelledby="cc-apps-title" class="cc-card">
        <div class="cc-heading-row">
          <h2 id="cc-apps-title">Streams applications</h2>
          <button type="button" onClick={() => void apps.reload()} disabled={apps.loading}>
            Refresh
          </button>
          <span class="cc-field-check">
            <input id="cc-auto-refresh" type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} />
            <label for="cc-auto-refresh">Refresh every {AUTO_REFRESH_MS / 1000} s</label>
          </span>
        </div>
        <p class="cc-note">
          Each topology reads its input topics and keeps its state; <em>lag</em> is the records it has not processed yet. Checked{' '}
          {checkedAt === undefined ? '…' : <time dateTime={checkedAt.toISOString()}>{checkedAt.toLocaleTimeString()}</time>}
        </p>
        <ErrorNotice error={apps.error} />
        {apps.data === undefined ? (
          <p aria-busy="true">Loading…</p>
        ) : apps.data.data.length === 0 ? (
          <p class="cc-empty">No streams application runs in this process.</p>
        ) : (
          <DataTable columns={['Topology', 'Application id', 'State', 'Processed', 'Lag', 'Caught up', 'Partitions']}>
            {apps.data.data.map((app) => (
              <AppRow key={app.name} app={app} />
            ))}
          </DataTable>
        )}
      </section>
      <RuntimeSummary />
    </>
  );
}

const STATE_TONE: Record<AppStatus['state'], string> = { running: 'cc-state-ok', created: 'cc-state-warn', restoring: 'cc-state-warn', error: 'cc-state-bad', closed: 'cc-state-off' };

function AppRow({ app }: { app: AppStatus }) {
  return (
    <tr>
      <th scope="row">{app.name}</th>
      <td class="cc-nowrap">
        <code>{app.application_id}</code>
      </td>
      <td>
        <span class={`cc-state ${STATE_TONE[app.state]}`} data-state={app.state}>
          {app.state}
        </span>
      </td>
      <td>{app.processed_records.toLocaleString()}</td>
      <td>{app.lag.toLocaleString()}</td>
      <td>
        <CaughtUp app={app} />
      </td>
      <td>
        <details>
          <summary>
            {app.partitions.length} input partition{app.partitions.length === 1 ? '' : 's'}
          </summary>
          <ul class="cc-partitions">
            {app.partitions.map((p) => (
              <li key={`${p.topic}-${p.partition}`}>
                <code>
                  {p.topic}[{p.partition}]
                </code>{' '}
                at {p.processed_offset} of {p.end_offset}, lag {p.lag}
              </li>
            ))}
          </ul>
        </details>
      </td>
    </tr>
  );
}

/**
 * How far the application is through its input: processed offsets over end offsets, summed over
 * its partitions. After a reset (reprocessing) this climbs from 0 to 100 %.
 */
function CaughtUp({ app }: { app: AppStatus }) {
  const end = app.partitions.reduce((sum, p) => sum + p.end_offset, 0);
  const done = app.partitions.reduce((sum, p) => sum + Math.min(p.processed_offset, p.end_offset), 0);
  const percent = end === 0 ? 100 : Math.floor((done / end) * 100);
  return (
    <span class="cc-progress">
      <progress max={100} value={percent} aria-label={`${app.name} caught up`} /> {percent} %
    </span>
  );
}
