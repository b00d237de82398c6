import type { FunctionComponent } from 'preact';
import type { RouteDoc } from '../shared/openapi';

/** What a provider's connect form is given: its `channels.<source>.connect` route as this runtime describes it. */
export interface ProviderFormProps {
  route: RouteDoc;
  /** Called with the route's answer once the channel is connected. */
  onConnected: (answer: unknown) => void;
}

export type ProviderForm = FunctionComponent<ProviderFormProps>;
