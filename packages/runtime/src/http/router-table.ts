import type { AnyRouteDefinition } from './route-definition.js';

/** `<resource>.<verb>`: dotted lowercase segments of letters, digits and dashes. */
const ROUTE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** The RPC routes a runtime serves, by name. The HTTP layer and the OpenAPI document read it. */
export class RouterTable {
  readonly #routes = new Map<string, AnyRouteDefinition>();

  /** Adds a route; a malformed or duplicate name is a TypeError. */
  add(route: AnyRouteDefinition): this {
    if (typeof route?.name !== 'string' || !ROUTE_NAME.test(route.name)) {
      throw new TypeError(`route names look like "resource.verb", got ${JSON.stringify(route?.name)}`);
    }
    if (this.#routes.has(route.name)) throw new TypeError(`route ${route.name} is already registered`);
    if (typeof route.handler !== 'function') throw new TypeError(`route ${route.name} needs a handler`);
    this.#routes.set(route.name, route);
    return this;
  }

  get(name: string): AnyRouteDefinition | undefined {
    return this.#routes.get(name);
  }

  /** Every route, sorted by name. */
  list(): AnyRouteDefinition[] {
    return [...this.#routes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
