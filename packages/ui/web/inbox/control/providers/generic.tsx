import { RouteDescription } from '../shared/route-description';
import { RouteForm } from './route-form';
import type { ProviderFormProps } from './provider-form';

/** The form of a provider with no form of its own: the connect route's fields, and its description. */
export function GenericConnectForm({ route, onConnected }: ProviderFormProps) {
  return (
    <>
      <RouteDescription route={route} />
      <RouteForm route={route} submitLabel="Connect" onDone={onConnected} />
    </>
  );
}
