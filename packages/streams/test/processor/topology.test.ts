import { expect } from 'chai';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';

const str = Serdes.string();
const forwardAll = () => {
  let context: ProcessorContext<unknown, unknown>;
  return { init: (c: ProcessorContext<unknown, unknown>) => void (context = c), process: (r: never) => context.forward(r) };
};
const source = (name: string, topics: string | string[]) => ({ name, topics, keySerde: str, valueSerde: str });
const sink = (name: string, topic: string) => ({ name, topic, keySerde: str, valueSerde: str });

describe('Processor > Topology', () => {
  describe('validation', () => {
    it('rejects a second node with the same name', () => {
      const t = new Topology().addSource(source('a', 'in'));
      expect(() => t.addProcessor('a', forwardAll, 'a')).to.throw(TypeError);
    });

    it('rejects an unknown parent, a sink as parent and a processor without parents', () => {
      const t = new Topology().addSource(source('src', 'in')).addSink(sink('out', 'out'), 'src');
      expect(() => t.addProcessor('p', forwardAll, 'nope')).to.throw(TypeError);
      expect(() => t.addProcessor('p', forwardAll, 'out')).to.throw(TypeError);
      expect(() => t.addProcessor('p', forwardAll)).to.throw(TypeError);
    });

    it('rejects a topic read by two sources and a source without topics', () => {
      const t = new Topology().addSource(source('a', 'in'));
      expect(() => t.addSource(source('b', ['other', 'in']))).to.throw(TypeError);
      expect(() => t.addSource(source('c', []))).to.throw(TypeError);
    });

    it('rejects a sink with both or neither of topic and topicExtractor', () => {
      const t = new Topology().addSource(source('src', 'in'));
      expect(() => t.addSink({ name: 's', keySerde: str, valueSerde: str } as never, 'src')).to.throw(TypeError);
      expect(() => t.addSink({ ...sink('s', 'x'), topicExtractor: () => 'y' } as never, 'src')).to.throw(TypeError);
    });

    it('rejects a missing serde, a duplicate store and a store connected to a non-processor', () => {
      const t = new Topology().addSource(source('src', 'in')).addProcessor('p', forwardAll, 'src');
      expect(() => t.addSource({ name: 'x', topics: 'x', keySerde: str } as never)).to.throw(TypeError);
      const store = keyValueStoreBuilder({ name: 'st', keySerde: str, valueSerde: str });
      t.addStateStore(store, 'p');
      expect(() => t.addStateStore(store)).to.throw(TypeError);
      expect(() => t.connectProcessorAndStateStores('src', 'st')).to.throw(TypeError);
      expect(() => t.connectProcessorAndStateStores('p', 'missing')).to.throw(TypeError);
    });

    it('rejects store names that cannot be part of a topic name', () => {
      expect(() => keyValueStoreBuilder({ name: 'bad name', keySerde: str, valueSerde: str })).to.throw(TypeError);
    });
  });

  describe('describe', () => {
    it('renders sub-topologies and global stores as stable text in Kafka layout', () => {
      const t = new Topology()
        .addSource(source('orders', 'orders'))
        .addProcessor('enrich', forwardAll, 'orders')
        .addProcessor('audit', forwardAll, 'orders')
        .addSink(sink('to-repartition', 'by-customer-repartition'), 'enrich')
        .addInternalTopic('by-customer-repartition')
        .addSource(source('from-repartition', 'by-customer-repartition'))
        .addProcessor('count', forwardAll, 'from-repartition')
        .addStateStore(keyValueStoreBuilder({ name: 'counts', keySerde: str, valueSerde: str }), 'count')
        .addSink(sink('out', 'counts-out'), 'count')
        .addGlobalStore({
          storeBuilder: keyValueStoreBuilder({ name: 'customers', keySerde: str, valueSerde: str, logging: false }),
          sourceName: 'customers-source',
          topic: 'customers',
          keySerde: str,
          valueSerde: str,
          processorName: 'customers-writer',
          processorSupplier: () => ({ process: () => undefined }),
        });
      expect(t.describe().toString()).to.equal(
        [
          'Topologies:',
          '   Sub-topology: 0',
          '    Source: orders (topics: [orders])',
          '      --> enrich, audit',
          '    Processor: enrich (stores: [])',
          '      --> to-repartition',
          '      <-- orders',
          '    Processor: audit (stores: [])',
          '      --> none',
          '      <-- orders',
          '    Sink: to-repartition (topic: by-customer-repartition)',
          '      <-- enrich',
          '',
          '   Sub-topology: 1',
          '    Source: from-repartition (topics: [by-customer-repartition])',
          '      --> count',
          '    Processor: count (stores: [counts])',
          '      --> out',
          '      <-- from-repartition',
          '    Sink: out (topic: counts-out)',
          '      <-- count',
          '',
          '   Sub-topology: 2 for global store (will not generate tasks)',
          '    Source: customers-source (topics: [customers])',
          '      --> customers-writer',
          '    Processor: customers-writer (stores: [customers])',
          '      --> none',
          '      <-- customers-source',
          '',
          '',
        ].join('\n'),
      );
    });

    it('lists nodes by sub-tree size then name, whatever order they were added in', () => {
      const build = (order: string[]) => {
        const t = new Topology().addSource(source('src', 'in'));
        for (const name of order) t.addProcessor(name, forwardAll, 'src');
        return t.describe().subtopologies[0]!.nodes.map((n) => n.name);
      };
      expect(build(['b', 'c', 'a'])).to.deep.equal(['src', 'a', 'b', 'c']);
      expect(build(['c', 'a', 'b'])).to.deep.equal(['src', 'a', 'b', 'c']);
    });

    it('names the topic extractor function of a dynamic sink', () => {
      const t = new Topology().addSource(source('src', 'in'));
      t.addSink({ name: 'dyn', topicExtractor: function byType() { return 'x'; }, keySerde: str, valueSerde: str }, 'src');
      expect(t.describe().toString()).to.contain('Sink: dyn (topic: extractor: byType)');
    });
  });

  describe('plan', () => {
    it('prefixes internal topics and changelogs with the application id and splits at repartition topics', () => {
      const t = new Topology()
        .addSource(source('src', 'in'))
        .addSink(sink('rs', 'x-repartition'), 'src')
        .addInternalTopic('x-repartition', { partitions: 4 })
        .addSource(source('rsrc', 'x-repartition'))
        .addProcessor('p', forwardAll, 'rsrc')
        .addStateStore(keyValueStoreBuilder({ name: 'logged', keySerde: str, valueSerde: str }), 'p')
        .addStateStore(keyValueStoreBuilder({ name: 'quiet', keySerde: str, valueSerde: str }).withLoggingDisabled(), 'p');
      const plan = t.plan('app');
      expect(plan.subtopologies.map((s) => s.sourceTopics)).to.deep.equal([['in'], ['app-x-repartition']]);
      expect(plan.subtopologies[1]!.repartitionSourceTopics).to.deep.equal(['app-x-repartition']);
      expect(plan.subtopologies[0]!.sinkTopics).to.deep.equal(['app-x-repartition']);
      expect(plan.repartitionTopics).to.deep.equal([{ name: 'app-x-repartition', partitions: 4, writtenBy: [0], readBy: 1 }]);
      expect(plan.subtopologies[1]!.stores.map((s) => [s.name, s.changelogTopic])).to.deep.equal([
        ['logged', 'app-logged-changelog'],
        ['quiet', null],
      ]);
      expect(plan.changelogTopics).to.deep.equal(['app-logged-changelog']);
    });

    it('groups processors sharing a store into one sub-topology and co-partitions their source topics', () => {
      const t = new Topology()
        .addSource(source('left', 'left-topic'))
        .addSource(source('right', 'right-topic'))
        .addSource(source('alone', 'alone-topic'))
        .addProcessor('pl', forwardAll, 'left')
        .addProcessor('pr', forwardAll, 'right')
        .addProcessor('pa', forwardAll, 'alone')
        .addStateStore(keyValueStoreBuilder({ name: 'shared', keySerde: str, valueSerde: str }), 'pl', 'pr');
      const plan = t.plan('app');
      expect(plan.subtopologies.map((s) => [...s.sourceTopics].sort())).to.deep.equal([['left-topic', 'right-topic'], ['alone-topic']]);
      expect(plan.copartitionGroups).to.deep.equal([['left-topic', 'right-topic']]);
    });

    it('merges declared co-partition groups that overlap', () => {
      const t = new Topology()
        .addSource(source('a', 'a'))
        .addSource(source('b', 'b'))
        .addSource(source('c', 'c'))
        .copartition(['a', 'b'])
        .copartition(['b', 'c']);
      expect(t.plan('app').copartitionGroups).to.deep.equal([['a', 'b', 'c']]);
    });

    it('rejects an application id that cannot prefix a topic name', () => {
      expect(() => new Topology().addSource(source('a', 'a')).plan('my app')).to.throw(TypeError);
    });
  });
});
