import type { FunctionComponent } from 'preact';
import type { ChannelJson } from '../shared/api-types';
import type { RouteDoc } from '../shared/openapi';

/** What a provider's connect form is given: its `channels.<source>.connect` route as this runtime describes it. */
export interface ProviderFormProps {
  route: RouteDoc;
  /** Called with the route's answer once the channel is connected. */
  onConnected: (answer: unknown) => void;
}

export type ProviderForm = FunctionComponent<ProviderFormProps>;

/** What a provider contributes to the control center; each part has a generic default. */
export interface ProviderEntry {
  /** The provider's name on screen; default the source name. */
  label?: string;
  /** The connect form; default: the generic form of the connect route's fields. */
  form?: ProviderForm;
  /** The body of `channels.<source>.disconnect` for `channel`; default `{ channel_id }` (or `{}` when the route takes no field). */
  disconnectBody?: (channel: ChannelJson) => Record<string, unknown>;
}
