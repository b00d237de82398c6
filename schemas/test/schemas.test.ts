import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avsc from 'avsc';
import { expect } from 'chai';
import type { AvroRecordSchema, AvroSchemaJson } from '../src/avro-schema.js';
import { RECORD_NAMES } from '../src/generated/records.js';
import { PREVIOUS_SCHEMAS, RECORD_SCHEMAS } from '../src/generated/schemas.js';
import { writerSchemas } from '../src/writer-schemas.js';
import { renderGeneratedFiles } from '../scripts/generate-types.js';
import { SAMPLES } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AVSC_FILES = readdirSync(`${ROOT}/avro`).filter((name) => name.endsWith('.avsc'));

function parse(schema: unknown): avsc.Type {
  return avsc.Type.forSchema(schema as avsc.Schema, { omitRecordMethods: true });
}

function fileSchema(name: string): AvroRecordSchema {
  return JSON.parse(readFileSync(`${ROOT}/avro/${name}`, 'utf8')) as AvroRecordSchema;
}

describe('Schemas > Avro files', () => {
  it('has one file per record of the model', () => {
    expect(AVSC_FILES.map((f) => fileSchema(f).name).sort()).to.deep.equal(
      ['Channel', 'Message', 'Metadata', 'ReadReceipt', 'Source', 'Tag', 'Template', 'User', 'Webhook'].sort(),
    );
  });

  for (const file of AVSC_FILES) {
    describe(file, () => {
      const schema = fileSchema(file);

      it('parses with avsc as a record in namespace org.parley.model', () => {
        const type = parse(schema);
        expect(type.typeName).to.equal('record');
        expect(type.name).to.equal(`org.parley.model.${schema.name}`);
      });

      it('is named after its record (kebab-case)', () => {
        expect(file).to.equal(`${schema.name.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}.avsc`);
      });

      it('documents the record, every field and every enum', () => {
        expect(schema.doc, 'record doc').to.be.a('string').and.not.equal('');
        for (const field of schema.fields) {
          expect(field.doc, `doc of ${field.name}`).to.be.a('string').and.not.equal('');
          for (const enumSchema of enums(field.type)) expect(enumSchema.doc, `doc of ${enumSchema.name}`).to.be.a('string');
        }
      });

      it('gives every nullable field a null default, and every timestamp the timestamp-millis logical type', () => {
        for (const field of schema.fields) {
          if (Array.isArray(field.type) && field.type.includes('null')) {
            expect(field.type[0], `${field.name}: null first, so null can be the default`).to.equal('null');
            expect(field.default, `${field.name} default`).to.equal(null);
          }
          if (/At$|^timestamp$/.test(field.name)) {
            const members = Array.isArray(field.type) ? field.type : [field.type];
            expect(members, `${field.name} is a timestamp`).to.deep.include({ type: 'long', logicalType: 'timestamp-millis' });
          }
        }
      });
    });
  }
});

describe('Schemas > Generated TypeScript', () => {
  for (const file of renderGeneratedFiles()) {
    it(`${file.path} is up to date with the schemas (run npm run generate -w schemas)`, () => {
      expect(readFileSync(`${ROOT}/${file.path}`, 'utf8')).to.equal(file.text);
    });
  }

  it('exports earlier versions found in avro/history, oldest first', () => {
    const root = mkdtempSync(join(tmpdir(), 'parley-schemas-'));
    try {
      cpSync(`${ROOT}/avro`, `${root}/avro`, { recursive: true });
      mkdirSync(`${root}/avro/history`, { recursive: true });
      const v1 = { ...fileSchema('tag.avsc'), doc: 'version one' };
      const v2 = { ...fileSchema('tag.avsc'), doc: 'version two' };
      writeFileSync(`${root}/avro/history/tag.v2.avsc`, JSON.stringify(v2));
      writeFileSync(`${root}/avro/history/tag.v1.avsc`, JSON.stringify(v1));
      const schemas = renderGeneratedFiles(root).find((f) => f.path.endsWith('schemas.ts'))!.text;
      const tagHistory = schemas.slice(schemas.indexOf('PREVIOUS_SCHEMAS'));
      expect(tagHistory.indexOf('version one')).to.be.greaterThan(0);
      expect(tagHistory.indexOf('version two')).to.be.greaterThan(tagHistory.indexOf('version one'));
      writeFileSync(`${root}/avro/history/tag-v3.avsc`, JSON.stringify(v2));
      expect(() => renderGeneratedFiles(root)).to.throw(/v<N>/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('exports each .avsc file unchanged as the record schema constant', () => {
    for (const file of AVSC_FILES) {
      const schema = fileSchema(file);
      expect(RECORD_SCHEMAS[schema.name as keyof typeof RECORD_SCHEMAS]).to.deep.equal(schema);
    }
    expect(Object.keys(RECORD_SCHEMAS).sort()).to.deep.equal([...RECORD_NAMES].sort());
  });

  it('freezes the schema constants all the way down', () => {
    const message = RECORD_SCHEMAS.Message;
    expect(Object.isFrozen(message)).to.equal(true);
    expect(Object.isFrozen(message.fields)).to.equal(true);
    expect(Object.isFrozen(message.fields[0])).to.equal(true);
    expect(() => {
      (message.fields as unknown[]).push({ name: 'x', type: 'string' });
    }).to.throw(TypeError);
  });
});

describe('Schemas > Records', () => {
  for (const name of RECORD_NAMES) {
    describe(name, () => {
      const type = parse(RECORD_SCHEMAS[name]);

      it('has samples with exactly the schema fields', () => {
        const fields = RECORD_SCHEMAS[name].fields.map((f) => f.name);
        for (const sample of SAMPLES[name]) expect(Object.keys(sample)).to.have.members(fields);
      });

      it('validates the typed samples and round-trips them through toBuffer/fromBuffer', () => {
        for (const sample of SAMPLES[name]) {
          const errors: string[] = [];
          const valid = type.isValid(sample, { errorHook: (path) => errors.push(path.join('.')) });
          expect(valid, `invalid at ${errors.join(', ')}`).to.equal(true);
          expect({ ...type.fromBuffer(type.toBuffer(sample)) }).to.deep.equal(sample);
        }
      });

      it('decodes timestamps as plain numbers of milliseconds', () => {
        const sample = SAMPLES[name][1] as unknown as Record<string, unknown>;
        const decoded = type.fromBuffer(type.toBuffer(sample)) as Record<string, unknown>;
        for (const field of RECORD_SCHEMAS[name].fields.filter((f) => /At$|^timestamp$/.test(f.name))) {
          expect(decoded[field.name], field.name).to.be.a('number').and.equal(sample[field.name]);
        }
      });

      it('rejects a sample with a field of the wrong type', () => {
        const broken = { ...SAMPLES[name][0], [RECORD_SCHEMAS[name].fields[0]!.name]: 42n };
        expect(type.isValid(broken)).to.equal(false);
      });

      it('lists the current schema first among the writer schemas, then the earlier versions', () => {
        expect(writerSchemas(name)).to.deep.equal([RECORD_SCHEMAS[name], ...PREVIOUS_SCHEMAS[name]]);
      });
    });
  }
});

function enums(schema: AvroSchemaJson): Array<{ name: string; doc?: string }> {
  if (Array.isArray(schema)) return schema.flatMap(enums);
  if (typeof schema === 'string') return [];
  if (schema.type === 'enum') return [schema];
  if (schema.type === 'array') return enums(schema.items);
  if (schema.type === 'map') return enums(schema.values);
  return [];
}
