/**
 * How a reprocess names what it owns. A shadow runs under `<base>.shadow-<generation>` (its
 * consumer group, internal topics `<shadow>-…-changelog|repartition` and state directory follow),
 * and writes each output topic `<topic>` to `<shadow>.<topic>`: everything of a shadow starts
 * with its application id, so it is easy to see in `parley topics list --prefix` and to drop.
 */

/** The application id of generation `generation` of a topology whose first version ran as `baseApplicationId`. */
export function shadowApplicationId(baseApplicationId: string, generation: number): string {
  return `${baseApplicationId}.shadow-${generation}`;
}

/** The topic a shadow writes instead of the live output topic `topic`. */
export function shadowTopic(shadowAppId: string, topic: string): string {
  return `${shadowAppId}.${topic}`;
}

/** The application id a topology was first registered under: the shadow suffix removed. */
export function baseApplicationId(applicationId: string): string {
  return applicationId.replace(/\.shadow-\d+$/, '');
}
