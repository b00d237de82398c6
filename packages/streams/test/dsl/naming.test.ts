import { expect } from 'chai';
import { Branched } from '../../src/dsl/branched.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';

const str = Serdes.string();
const int = Serdes.int32();

function wordLengths(builder: StreamsBuilder): void {
  const words = builder
    .stream('sentences', { keySerde: str, valueSerde: str })
    .flatMapValues((sentence) => sentence.split(' '))
    .filter((_k, word) => word.length > 0);
  const branches = words
    .split({ named: 'length-' })
    .branch((_k, w) => w.length > 5, Branched.as('long'))
    .defaultBranch(Branched.as('short'));
  branches['length-long']!.mapValues((w) => w.length).to('long-words', { valueSerde: int });
  branches['length-short']!
    .selectKey((_k, w) => w)
    .toTable({ named: 'latest-short', materialized: { storeName: 'short-words', keySerde: str, valueSerde: str } })
    .toStream()
    .to('short-words');
}

describe('DSL > Naming', () => {
  it('describes a DSL topology with generated and user-given names (snapshot)', () => {
    const builder = new StreamsBuilder();
    wordLengths(builder);
    expect(builder.build().describe().toString()).to.equal(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [sentences])',
        '      --> KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-FILTER-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-FILTER-0000000002 (stores: [])',
        '      --> length-',
        '      <-- KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: length- (stores: [])',
        '      --> length-short, length-long',
        '      <-- KSTREAM-FILTER-0000000002',
        '    Processor: length-short (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000005',
        '      <-- length-',
        '    Processor: KSTREAM-KEY-SELECT-0000000005 (stores: [])',
        '      --> latest-short-repartition-filter',
        '      <-- length-short',
        '    Processor: length-long (stores: [])',
        '      --> KSTREAM-MAPVALUES-0000000003',
        '      <-- length-',
        '    Processor: KSTREAM-MAPVALUES-0000000003 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- length-long',
        '    Processor: latest-short-repartition-filter (stores: [])',
        '      --> latest-short-repartition-sink',
        '      <-- KSTREAM-KEY-SELECT-0000000005',
        '    Sink: KSTREAM-SINK-0000000004 (topic: long-words)',
        '      <-- KSTREAM-MAPVALUES-0000000003',
        '    Sink: latest-short-repartition-sink (topic: latest-short-repartition)',
        '      <-- latest-short-repartition-filter',
        '',
        '   Sub-topology: 1',
        '    Source: latest-short-repartition-source (topics: [latest-short-repartition])',
        '      --> latest-short',
        '    Processor: latest-short (stores: [short-words])',
        '      --> KTABLE-TOSTREAM-0000000009',
        '      <-- latest-short-repartition-source',
        '    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])',
        '      --> KSTREAM-SINK-0000000010',
        '      <-- latest-short',
        '    Sink: KSTREAM-SINK-0000000010 (topic: short-words)',
        '      <-- KTABLE-TOSTREAM-0000000009',
        '',
        '',
      ].join('\n'),
    );
  });

  it('generates the same names for the same declarations', () => {
    const describe = () => {
      const builder = new StreamsBuilder();
      wordLengths(builder);
      return builder.build().describe().toString();
    };
    expect(describe()).to.equal(describe());
  });

  it('builds a fresh, equal topology on every build() call', () => {
    const builder = new StreamsBuilder();
    wordLengths(builder);
    const first = builder.build();
    const second = builder.build();
    expect(first).not.to.equal(second);
    expect(first.describe().toString()).to.equal(second.describe().toString());
  });

  it('uses a table source name, its generated store name and `named` overrides the way Kafka does', () => {
    const builder = new StreamsBuilder();
    builder.table('prices', { keySerde: str, valueSerde: int }).toStream({ named: 'price-updates' }).to('out', { named: 'price-sink' });
    builder.table('rates', { keySerde: str, valueSerde: int, named: 'rates' });
    const text = builder.build().describe().toString();
    expect(text).to.contain('Processor: KTABLE-SOURCE-0000000002 (stores: [prices-STATE-STORE-0000000000])');
    expect(text).to.contain('Processor: price-updates (stores: [])');
    expect(text).to.contain('Sink: price-sink (topic: out)');
    expect(text).to.contain('Source: rates (topics: [rates])');
    expect(text).to.contain('Processor: rates-table-source (stores: [rates-STATE-STORE-0000000003])');
  });

  it('rejects a name used twice at the second operator call', () => {
    const stream = new StreamsBuilder().stream('in', { keySerde: str, valueSerde: str });
    stream.filter(() => true, { named: 'dup' });
    expect(() => stream.mapValues((v) => v, { named: 'dup' })).to.throw(TypeError);
  });
});
