import type { ChannelJson } from '../shared/api-types';
import { routeDoc, type OpenApiDocument } from '../shared/openapi';

/**
 * The call that disconnects `channel`, or undefined when no route of this runtime does: a custom
 * source's channel goes through `sources.channels.disconnect`, a provider's through its own
 * `channels.<source>.disconnect` (which takes the channel id when it has several channels).
 */
export function disconnectCall(doc: OpenApiDocument, channel: ChannelJson, customSources: ReadonlySet<string>): { route: string; body: Record<string, string> } | undefined {
  if (customSources.has(channel.source)) return { route: 'sources.channels.disconnect', body: { source_id: channel.source, channel_id: channel.id } };
  const route = routeDoc(doc, `channels.${channel.source}.disconnect`);
  if (route === undefined) return undefined;
  const takesId = route.request.properties?.channel_id !== undefined;
  return { route: route.name, body: takesId ? { channel_id: channel.id } : {} };
}
