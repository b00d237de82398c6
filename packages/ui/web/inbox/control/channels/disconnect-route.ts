import type { ChannelJson } from '../shared/api-types';
import { routeDoc, type OpenApiDocument } from '../shared/openapi';
import { disconnectBody } from '../providers/registry';

/**
 * The call that disconnects `channel`, or undefined when no route of this runtime does: a custom
 * source's channel goes through `sources.channels.disconnect`, a provider's through its own
 * `channels.<source>.disconnect`, with the body its registry entry builds.
 */
export function disconnectCall(doc: OpenApiDocument, channel: ChannelJson, customSources: ReadonlySet<string>): { route: string; body: Record<string, unknown> } | undefined {
  if (customSources.has(channel.source)) return { route: 'sources.channels.disconnect', body: { source_id: channel.source, channel_id: channel.id } };
  const route = routeDoc(doc, `channels.${channel.source}.disconnect`);
  if (route === undefined) return undefined;
  const body = disconnectBody(channel, route);
  return body === undefined ? undefined : { route: route.name, body };
}
