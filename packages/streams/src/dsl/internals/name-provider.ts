/**
 * Generates Kafka-style names from one counter shared by processors and stores:
 * `KSTREAM-FILTER-0000000003`, `KSTREAM-TOTABLE-STATE-STORE-0000000004`. The counter makes names
 * depend on the order operators were declared, which is why stateful operators should be named.
 */
export class NameProvider {
  #index = 0;
  readonly #used = new Set<string>();

  newProcessorName(prefix: string): string {
    return this.claim(`${prefix}${this.#next()}`);
  }

  newStoreName(prefix: string): string {
    return `${prefix}STATE-STORE-${this.#next()}`;
  }

  /** Reserves a node name, rejecting duplicates at the operator call that caused them. */
  claim(name: string): string {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('names must be non-empty strings');
    if (this.#used.has(name)) throw new TypeError(`a node named ${name} already exists in this builder`);
    this.#used.add(name);
    return name;
  }

  /** The given name (claimed) or a generated one. */
  orGenerate(named: string | undefined, prefix: string): string {
    return named === undefined ? this.newProcessorName(prefix) : this.claim(named);
  }

  #next(): string {
    return String(this.#index++).padStart(10, '0');
  }
}
