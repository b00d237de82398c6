import type { ProcessorSupplier } from '../../processor/processor.js';
import type { Branched } from '../branched.js';
import type { BranchedKStream, KStream } from '../k-stream.js';
import type { GraphNode } from './graph/graph-node.js';
import { ProcessorGraphNode } from './graph/processor-graph-node.js';
import { assertFunction } from './internal-streams-builder.js';
import type { KStreamBranch } from './stateless/k-stream-branch.js';
import { KStreamImpl } from './k-stream-impl.js';
import { KStreamPassThrough } from './stateless/k-stream-pass-through.js';

/**
 * @internal `KStream.split()`: each branch is a pass-through child of the splitter named
 * `<splitter name><branch name or position>` (Kafka's naming), which is also its key in the map.
 */
export class BranchedKStreamImpl<TKey, TValue> implements BranchedKStream<TKey, TValue> {
  readonly #source: KStreamImpl<TKey, TValue>;
  readonly #splitterName: string;
  readonly #splitter: KStreamBranch<TKey, TValue>;
  readonly #splitterNode: GraphNode;
  readonly #branches: Record<string, KStream<TKey, TValue>> = {};
  #position = 1;
  #finished = false;

  constructor(options: {
    source: KStreamImpl<TKey, TValue>;
    splitterName: string;
    splitter: KStreamBranch<TKey, TValue>;
    splitterNode: GraphNode;
  }) {
    this.#source = options.source;
    this.#splitterName = options.splitterName;
    this.#splitter = options.splitter;
    this.#splitterNode = options.splitterNode;
  }

  branch(predicate: (key: TKey, value: TValue) => boolean, branched: Branched<TKey, TValue> = {}): BranchedKStream<TKey, TValue> {
    this.#assertOpen();
    assertFunction(predicate, 'branch predicate');
    const childName = this.#childName(branched, this.#position++);
    this.#splitter.addBranch(predicate, childName);
    this.#addBranch(childName, branched);
    return this;
  }

  defaultBranch(branched: Branched<TKey, TValue> = {}): Record<string, KStream<TKey, TValue>> {
    this.#assertOpen();
    const childName = this.#childName(branched, 0);
    this.#splitter.setDefault(childName);
    this.#addBranch(childName, branched);
    this.#finished = true;
    return this.#branches;
  }

  noDefaultBranch(): Record<string, KStream<TKey, TValue>> {
    this.#assertOpen();
    this.#finished = true;
    return this.#branches;
  }

  #childName(branched: Branched<TKey, TValue>, position: number): string {
    return `${this.#splitterName}${branched.name ?? String(position)}`;
  }

  #addBranch(childName: string, branched: Branched<TKey, TValue>): void {
    const source = this.#source;
    const name = source.builder.names.claim(childName);
    const node = source.builder.addNode(
      new ProcessorGraphNode(name, [this.#splitterNode], { supplier: new KStreamPassThrough() as ProcessorSupplier<never, never> }),
    );
    const stream = new KStreamImpl<TKey, TValue>({
      builder: source.builder,
      node,
      serdes: source.serdes,
      repartitionRequired: source.repartitionRequired,
    });
    if (branched.chain === undefined) {
      this.#branches[childName] = stream;
      return;
    }
    const chained = branched.chain(stream);
    if (chained !== undefined) this.#branches[childName] = chained;
  }

  #assertOpen(): void {
    if (this.#finished) throw new TypeError('this split is finished: defaultBranch/noDefaultBranch was already called');
  }
}
