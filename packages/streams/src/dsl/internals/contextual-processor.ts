import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor } from '../../processor/processor.js';
import type { StreamRecord } from '../../processor/record.js';

/**
 * @internal A processor that keeps the context `init` hands it and passes it to `process` with
 * each record (Kafka's `ContextualProcessor`): the shape of every stateless DSL operator.
 */
export function contextualProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(
  process: (record: StreamRecord<TKeyIn, TValueIn>, context: ProcessorContext<TKeyOut, TValueOut>) => void,
): Processor<TKeyIn, TValueIn, TKeyOut, TValueOut> {
  let context: ProcessorContext<TKeyOut, TValueOut>;
  return {
    init: (c) => void (context = c),
    process: (record) => process(record, context),
  };
}
