import type { SinkOptions, Topology } from '../../../processor/topology.js';
import { GraphNode } from './graph-node.js';

/** A terminal node writing to a topic (`KStream.to`). */
export class StreamSinkNode extends GraphNode {
  readonly #options: Omit<SinkOptions<unknown, unknown>, 'name'>;

  constructor(name: string, parent: GraphNode, options: Omit<SinkOptions<unknown, unknown>, 'name'>) {
    super(name, [parent]);
    this.#options = options;
  }

  writeToTopology(topology: Topology): void {
    topology.addSink({ ...this.#options, name: this.name } as SinkOptions<unknown, unknown>, ...this.parentNames);
  }
}
