/**
 * The schema evolution rules of the README, each shown on a real schema with avsc's resolver
 * (which `@parley/streams`' Avro serde uses), plus the check that every earlier version of a
 * record can still be read as the current one.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import avsc from 'avsc';
import { expect } from 'chai';
import type { AvroFieldSchema, AvroRecordSchema } from '../src/avro-schema.js';
import { RECORD_NAMES } from '../src/generated/records.js';
import { PREVIOUS_SCHEMAS, RECORD_SCHEMAS } from '../src/generated/schemas.js';
import { SAMPLES } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function parse(schema: AvroRecordSchema): avsc.Type {
  return avsc.Type.forSchema(schema as avsc.Schema, { omitRecordMethods: true });
}

/** A copy of `schema` with its fields passed through `edit`. */
function evolve(schema: AvroRecordSchema, edit: (fields: AvroFieldSchema[]) => AvroFieldSchema[]): AvroRecordSchema {
  const copy = structuredClone(schema);
  return { ...copy, fields: edit(copy.fields) };
}

/** Writes `value` with `writer` and reads it with `reader` through a resolver. */
function readAs(writer: AvroRecordSchema, reader: AvroRecordSchema, value: unknown): Record<string, unknown> {
  const writerType = parse(writer);
  const readerType = parse(reader);
  const resolver = readerType.createResolver(writerType);
  return readerType.fromBuffer(writerType.toBuffer(value), resolver) as Record<string, unknown>;
}

describe('Schemas > Evolution', () => {
  const tag = RECORD_SCHEMAS.Tag;
  const sample = SAMPLES.Tag[0];

  it('allows adding a field with a default: old records read with the default', () => {
    const v2 = evolve(tag, (f) => [...f, { name: 'description', type: ['null', 'string'], default: null, doc: 'd' }]);
    expect(readAs(tag, v2, sample)).to.deep.include({ ...sample, description: null });
  });

  it('refuses adding a field without a default', () => {
    const v2 = evolve(tag, (f) => [...f, { name: 'description', type: 'string', doc: 'd' }]);
    expect(() => parse(v2).createResolver(parse(tag))).to.throw();
  });

  it('allows removing a field that had a default: readers still on the old schema fill it in', () => {
    const withDefault = evolve(tag, (f) => [...f, { name: 'description', type: ['null', 'string'], default: null, doc: 'd' }]);
    expect(readAs(tag, withDefault, sample)['description']).to.equal(null);
  });

  it('refuses removing a field without a default for readers that still have it', () => {
    const v2 = evolve(tag, (f) => f.filter((field) => field.name !== 'name'));
    expect(() => parse(tag).createResolver(parse(v2))).to.throw();
  });

  it('refuses renaming a field without an alias, and allows it with one', () => {
    const renamed = evolve(tag, (f) => f.map((field) => (field.name === 'name' ? { ...field, name: 'label' } : field)));
    expect(() => parse(renamed).createResolver(parse(tag))).to.throw();
    const aliased = evolve(tag, (f) => f.map((field) => (field.name === 'name' ? { ...field, name: 'label', aliases: ['name'] } : field)));
    expect(readAs(tag, aliased, sample)['label']).to.equal(sample.name);
  });

  it('allows changing a type only by Avro promotion (int to long, not string to long)', () => {
    const withCount = evolve(tag, (f) => [...f, { name: 'uses', type: 'int', default: 0, doc: 'd' }]);
    const promoted = evolve(tag, (f) => [...f, { name: 'uses', type: 'long', default: 0, doc: 'd' }]);
    expect(readAs(withCount, promoted, { ...sample, uses: 7 })['uses']).to.equal(7);
    const changed = evolve(tag, (f) => f.map((field) => (field.name === 'name' ? { ...field, type: 'long' } : field)));
    expect(() => parse(changed).createResolver(parse(tag))).to.throw();
  });

  it('refuses a new enum symbol for readers that do not know it', () => {
    const v2 = evolve(tag, (f) =>
      f.map((field) => (field.name === 'color' ? { ...field, type: { type: 'enum', name: 'TagColor', symbols: ['RED', 'GREEN', 'BLUE', 'PURPLE', 'ORANGE'] } } : field)),
    );
    expect(() => readAs(v2, tag, { ...sample, color: 'ORANGE' })).to.throw();
  });

  it('keeps one history file per earlier version, and generates them all', () => {
    const files = readdirSync(`${ROOT}/avro/history`).filter((n) => n.endsWith('.avsc'));
    const generated = RECORD_NAMES.reduce((n, name) => n + PREVIOUS_SCHEMAS[name].length, 0);
    expect(generated).to.equal(files.length);
  });

  it('reads every earlier version of every record as the current schema', () => {
    for (const name of RECORD_NAMES) {
      for (const previous of PREVIOUS_SCHEMAS[name]) {
        expect(() => parse(RECORD_SCHEMAS[name]).createResolver(parse(previous)), `${name} ${JSON.stringify(previous)}`).not.to.throw();
      }
    }
  });
});
