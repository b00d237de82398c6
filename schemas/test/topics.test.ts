import { expect } from 'chai';
import { RECORD_NAMES } from '../src/generated/records.js';
import { COMMUNICATION_TOPICS, SOURCE_EVENTS_TOPIC_CONFIG, SOURCE_EVENTS_TOPIC_PATTERN, sourceEventsTopic } from '../src/topics.js';

describe('Schemas > Topics', () => {
  const topics = Object.values(COMMUNICATION_TOPICS);

  it('names every model topic application.communication.<lisp-case dataset>, each once', () => {
    for (const topic of topics) expect(topic.name).to.match(/^application\.communication\.[a-z]+(-[a-z]+)*$/);
    expect(new Set(topics.map((t) => t.name)).size).to.equal(topics.length);
  });

  it('compacts every model topic, channels and webhooks included', () => {
    for (const topic of topics) expect(topic.config.cleanupPolicy, topic.name).to.equal('compact');
    expect(COMMUNICATION_TOPICS.channels.name).to.equal('application.communication.channels');
    expect(COMMUNICATION_TOPICS.webhooks.name).to.equal('application.communication.webhooks');
  });

  it('has a topic for every record of the model', () => {
    expect(new Set(topics.map((t) => t.value))).to.deep.equal(new Set(RECORD_NAMES));
  });

  it('keeps contact metadata apart from other metadata', () => {
    expect(COMMUNICATION_TOPICS.contacts.value).to.equal('Metadata');
    expect(COMMUNICATION_TOPICS.contacts.name).not.to.equal(COMMUNICATION_TOPICS.metadata.name);
  });

  it('names raw provider topics source.<provider>.events, matched by the pattern', () => {
    const name = sourceEventsTopic('facebook');
    expect(name).to.equal('source.facebook.events');
    expect(SOURCE_EVENTS_TOPIC_PATTERN.exec(name)?.[1]).to.equal('facebook');
    expect(SOURCE_EVENTS_TOPIC_PATTERN.test(COMMUNICATION_TOPICS.messages.name)).to.equal(false);
    expect(SOURCE_EVENTS_TOPIC_CONFIG).to.deep.equal({ cleanupPolicy: 'delete', retentionMs: -1 });
  });

  it('rejects provider names that are not one lisp-case segment with a RangeError', () => {
    for (const bad of ['twilio.sms', 'Facebook', '', '1x', 'a b']) expect(() => sourceEventsTopic(bad), bad).to.throw(RangeError);
  });
});
