import { useState } from 'preact/hooks';
import type { ListOf, SourceCreated, SourceJson } from '../shared/api-types';
import { DataTable } from '../shared/data-table';
import { ErrorNotice } from '../shared/error-notice';
import { routeDoc, useOpenApi } from '../shared/openapi';
import { SecretOnce } from '../shared/secret-once';
import { useApi } from '../shared/use-api';
import { RouteForm } from '../providers/route-form';
import { SourceRow } from './source-row';

/**
 * Custom sources: any system that posts its messages to `sources.webhook`. Creating one answers
 * its token and signing secret once; the list never shows them again.
 */
export function CustomSourcesScreen() {
  const sources = useApi<ListOf<SourceJson>>('sources.list');
  const { doc, failure } = useOpenApi();
  const [created, setCreated] = useState<SourceCreated | undefined>(undefined);
  const create = doc === undefined ? undefined : routeDoc(doc, 'sources.create');
  return (
    <>
      <h1>Custom sources</h1>
      <section aria-labelledby="cc-new-source-title" class="cc-card">
        <h2 id="cc-new-source-title">New custom source</h2>
        <p class="cc-note">
          A custom source is any system of yours that sends messages to Parley: it posts them to <code>sources.webhook</code> with its own token, and Parley calls
          its action endpoint to send replies. The id is 2–64 lowercase letters, digits and dashes.
        </p>
        {failure === undefined ? null : <p class="cc-error" role="alert">{failure}</p>}
        {create === undefined ? null : (
          <RouteForm<SourceCreated>
            route={create}
            submitLabel="Create source"
            onDone={(answer) => {
              setCreated(answer);
              void sources.reload();
            }}
          />
        )}
        {created === undefined ? null : (
          <SecretOnce
            title={`Credentials of ${created.source.id}`}
            secrets={[
              { label: 'Source token', value: created.token },
              { label: 'Signing secret', value: created.signing_secret },
            ]}
            lost="If it is lost, delete the source and create it again."
            onDone={() => setCreated(undefined)}
          />
        )}
      </section>
      <section aria-labelledby="cc-sources-title" class="cc-card">
        <h2 id="cc-sources-title">Sources</h2>
        <ErrorNotice error={sources.error} />
        {sources.data === undefined || doc === undefined ? (
          <p aria-busy="true">Loading…</p>
        ) : sources.data.data.length === 0 ? (
          <p class="cc-empty">No custom sources yet.</p>
        ) : (
          <DataTable columns={['Id', 'Name', 'Action endpoint', 'Created', 'Actions']}>
            {sources.data.data.map((source) => (
              <SourceRow key={source.id} source={source} doc={doc} onChanged={() => void sources.reload()} />
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
