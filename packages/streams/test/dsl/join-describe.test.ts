import { expect } from 'chai';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';

const str = Serdes.string();
const consumed = { keySerde: str, valueSerde: str };

describe('DSL > Joins > describe', () => {
  it('a named stream-stream left join has stable processor and store names', () => {
    const b = new StreamsBuilder();
    b.stream('clicks', consumed)
      .leftJoin(b.stream('views', consumed), (c, v) => c + v, JoinWindows.ofTimeDifferenceAndGrace(1000, 100), { named: 'cv' })
      .to('out', { valueSerde: str });
    expect(b.build().describe().toString()).to.equal(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [clicks])',
        '      --> cv-this-join',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [views])',
        '      --> cv-other-join',
        '    Processor: cv-other-join (stores: [cv-this-join-store, cv-other-join-store, cv-outer-shared-join-store])',
        '      --> cv-merge',
        '      <-- KSTREAM-SOURCE-0000000001',
        '    Processor: cv-this-join (stores: [cv-this-join-store, cv-other-join-store, cv-outer-shared-join-store])',
        '      --> cv-merge',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: cv-merge (stores: [])',
        '      --> KSTREAM-SINK-0000000002',
        '      <-- cv-other-join, cv-this-join',
        '    Sink: KSTREAM-SINK-0000000002 (topic: out)',
        '      <-- cv-merge',
      ].join('\n') + '\n\n',
    );
  });

  it('a named foreign-key join names every node, topic and store after the join', () => {
    const b = new StreamsBuilder();
    b.table('orders', consumed)
      .join(b.table('customers', consumed), (v) => v, (a, c) => a + c, { named: 'oc' })
      .toStream()
      .to('out', { valueSerde: str });
    const text = b.build().describe().toString();
    for (const line of [
      'Processor: oc-subscription-registration (stores: [])',
      'Sink: oc-subscription-registration-topic-sink (topic: oc-subscription-registration-topic)',
      'Processor: oc-subscription-receive (stores: [oc-subscription-store, customers-STATE-STORE-0000000003])',
      'Processor: oc-foreign-join-subscription (stores: [oc-subscription-store])',
      'Sink: oc-subscription-response-topic-sink (topic: oc-subscription-response-topic)',
      'Processor: oc-subscription-response-resolver (stores: [orders-STATE-STORE-0000000000])',
    ]) {
      expect(text).to.contain(line);
    }
  });
});
