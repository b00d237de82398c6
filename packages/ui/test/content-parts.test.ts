import { expect } from 'chai';
import fc from 'fast-check';
import { contentParts, previewText, textContent } from '../web/inbox/content-parts.js';

describe('UI > inbox > message content', () => {
  it('reads the text of each source format', () => {
    const cases: [unknown, string][] = [
      ['plain', 'plain'],
      [{ text: 'chat plugin' }, 'chat plugin'],
      [{ sender: { id: 'p' }, recipient: { id: 'page' }, timestamp: 1, message: { mid: 'm', text: 'messenger inbound' } }, 'messenger inbound'],
      [{ type: 'text', text: { body: 'whatsapp' } }, 'whatsapp'],
      [{ Body: 'twilio' }, 'twilio'],
      [{ type: 'text', text: 'viber' }, 'viber'],
    ];
    for (const [content, text] of cases) expect(contentParts(content), JSON.stringify(content)).to.deep.equal([{ kind: 'text', text }]);
  });

  it('reads images, files, postbacks and templates', () => {
    expect(contentParts({ attachment: { type: 'image', payload: { url: 'https://cdn.example/a.png' } } })).to.deep.equal([{ kind: 'image', url: 'https://cdn.example/a.png', alt: 'image' }]);
    expect(contentParts({ type: 'document', document: { link: 'https://cdn.example/invoice.pdf', filename: 'invoice.pdf' } })).to.deep.equal([{ kind: 'file', url: 'https://cdn.example/invoice.pdf', name: 'invoice.pdf', mediaType: 'document' }]);
    expect(contentParts({ Body: 'see', MediaUrl: ['https://api.twilio.example/m.jpg'], MediaContentType: ['image/jpeg'] })).to.deep.equal([
      { kind: 'text', text: 'see' },
      { kind: 'image', url: 'https://api.twilio.example/m.jpg', alt: 'image' },
    ]);
    expect(contentParts({ postback: { title: 'Track my order', payload: 'TRACK' } })).to.deep.equal([{ kind: 'postback', title: 'Track my order' }]);
    expect(contentParts({ attachment: { type: 'template', payload: { template_type: 'button', text: 'Pick', buttons: [{ title: 'A' }, { title: 'B' }] } } })).to.deep.equal([
      { kind: 'template', title: 'button', text: 'Pick', buttons: ['A', 'B'] },
    ]);
    expect(contentParts({ image: { contentInfo: { fileUrl: 'https://g.example/i.png' } } })).to.deep.equal([{ kind: 'image', url: 'https://g.example/i.png', alt: 'image' }]);
  });

  it('never links a URL that is not http(s)', () => {
    const parts = contentParts({ attachment: { type: 'image', payload: { url: 'javascript:alert(1)' } } });
    expect(parts.some((p) => p.kind === 'image' || p.kind === 'file')).to.equal(false);
  });

  it('answers at least one part for any JSON, and a preview line, without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (content) => {
        const parts = contentParts(content);
        expect(parts.length).to.be.greaterThan(0);
        for (const p of parts) if (p.kind === 'image' || p.kind === 'file') expect(p.url).to.match(/^https?:\/\//i);
        expect(previewText(content)).to.be.a('string');
      }),
    );
  });

  it('writes a text reply in each source format, and reads it back', () => {
    fc.assert(
      fc.property(fc.constantFrom('chatplugin', 'facebook', 'whatsapp', 'twilio.sms', 'twilio.whatsapp', 'viber', 'google', 'telegram', 'shop'), fc.string({ minLength: 1 }), (source, text) => {
        expect(contentParts(textContent(source, text))).to.deep.equal([{ kind: 'text', text }]);
      }),
    );
  });
});
