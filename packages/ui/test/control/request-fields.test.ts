import { expect } from 'chai';
import { requestFields } from '../../web/inbox/control/providers/request-fields.js';

describe('UI > control center > request fields', () => {
  it('asks for the field an alias names (required), never for the alias', () => {
    const fields = requestFields({
      type: 'object',
      properties: { id: { type: 'string' }, source_id: { type: 'string', 'x-alias-of': 'id' }, name: { type: 'string' } },
    });
    expect(fields.supported).to.equal(true);
    if (!fields.supported) return;
    expect(fields.fields.map((f) => [f.name, f.required])).to.deep.equal([
      ['id', true],
      ['name', false],
    ]);
  });

  it('leaves out an optional field it cannot ask for, and refuses a required one', () => {
    const nested = { type: 'object', properties: { region: { type: 'string' } } };
    const optional = requestFields({ type: 'object', properties: { source_channel_id: { type: 'string' }, metadata: nested }, required: ['source_channel_id'] });
    expect(optional.supported && optional.fields.map((f) => f.name)).to.deep.equal(['source_channel_id']);
    const required = requestFields({ type: 'object', properties: { source_channel_id: { type: 'string' }, metadata: nested }, required: ['metadata'] });
    expect(required).to.deep.equal({ supported: false, field: 'metadata' });
  });
});
