/** The answers of the Core API routes the control center calls (docs/api.md). */

export interface ChannelJson {
  id: string;
  source: string;
  source_channel_id: string;
  connected: boolean;
  metadata?: Record<string, unknown>;
}

export interface SourceJson {
  id: string;
  name: string | null;
  image_url: string | null;
  action_endpoint: string | null;
  created_at: number;
}

export interface SourceCreated {
  source: SourceJson;
  token: string;
  signing_secret: string;
}

export type WebhookStatus = 'subscribed' | 'unsubscribed' | 'disabled';

export interface WebhookJson {
  id: string;
  name: string | null;
  url: string;
  events: string[];
  headers: Record<string, string>;
  status: WebhookStatus;
  subscribed_at: string;
  disabled_reason: string | null;
  signed: boolean;
}

export interface WebhookDelivery {
  event_id: string;
  attempt: number;
  outcome: 'delivered' | 'retrying' | 'dead' | 'disabled' | 'skipped';
  status: number | null;
  latency_ms: number;
  error: string | null;
  at: string;
  next_attempt_at: string | null;
}

export interface WebhookDeadLetter {
  event_id: string;
  attempts: number;
  last_error: string;
  dead_at: string;
  event: Record<string, unknown>;
}

export interface AppStatus {
  name: string;
  application_id: string;
  state: 'created' | 'restoring' | 'running' | 'error' | 'closed';
  processed_records: number;
  lag: number;
  partitions: { topic: string; partition: number; processed_offset: number; end_offset: number; lag: number }[];
}

export interface ListOf<T> {
  data: T[];
}

/** A channel's display name: its `name` metadata, else its source channel id. */
export function channelName(channel: ChannelJson): string {
  const name = channel.metadata?.name;
  return typeof name === 'string' && name !== '' ? name : channel.source_channel_id;
}

export interface ClientConfig {
  version: string;
  sources: Record<string, { enabled: boolean }>;
  features: { auth: boolean; log_backend: 'embedded' | 'kafka'; webhooks: string[] };
  topologies: string[];
}
