/** The provider webhook hook and its request/response: the host interface's one definition (`@parley/sources`). */
export type { WebhookDefinition, WebhookRequest, WebhookResponse } from '@parley/sources';
