import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/**
 * The splitter of `KStream.split()`: sends each record to the child of the first predicate that
 * accepts it, else to the default child if there is one. Branches are added while the DSL is
 * being declared; the lists are read when tasks are built.
 */
export class KStreamBranch<TKey, TValue> implements ProcessorSupplier<TKey, TValue, TKey, TValue> {
  readonly #predicates: ((key: TKey, value: TValue) => boolean)[] = [];
  readonly #childNames: string[] = [];
  #defaultChild: string | undefined;

  addBranch(predicate: (key: TKey, value: TValue) => boolean, childName: string): void {
    this.#predicates.push(predicate);
    this.#childNames.push(childName);
  }

  setDefault(childName: string): void {
    this.#defaultChild = childName;
  }

  get(): Processor<TKey, TValue, TKey, TValue> {
    const predicates = [...this.#predicates];
    const children = [...this.#childNames];
    const defaultChild = this.#defaultChild;
    return contextualProcessor((record, context) => {
      const index = predicates.findIndex((p) => p(record.key, record.value));
      const child = index >= 0 ? children[index] : defaultChild;
      if (child !== undefined) context.forward(record, child);
    });
  }
}
