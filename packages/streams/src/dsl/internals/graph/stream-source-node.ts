import type { TimestampExtractor } from '../../../processor/timestamp-extractor.js';
import type { Topology } from '../../../processor/topology.js';
import type { Serde } from '../../../serde/types.js';
import { GraphNode } from './graph-node.js';

export interface StreamSourceSpec {
  topics: readonly string[];
  keySerde: Serde<unknown>;
  valueSerde: Serde<unknown>;
  timestampExtractor: TimestampExtractor | undefined;
}

/** A source topic (or several) read into a stream. */
export class StreamSourceNode extends GraphNode {
  readonly #spec: StreamSourceSpec;

  constructor(name: string, spec: StreamSourceSpec) {
    super(name, []);
    this.#spec = spec;
  }

  writeToTopology(topology: Topology): void {
    const { topics, keySerde, valueSerde, timestampExtractor } = this.#spec;
    topology.addSource({
      name: this.name,
      topics,
      keySerde,
      valueSerde,
      ...(timestampExtractor === undefined ? {} : { timestampExtractor }),
    });
  }
}
