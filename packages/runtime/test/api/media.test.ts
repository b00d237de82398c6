import { expect } from 'chai';
import { MediaUrlSigner } from '../../src/media/media-url.js';
import { forEachBackend, readTestResponse } from '../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './communication/platform-fixture.js';

// The 8-byte PNG signature and an IHDR chunk start: bytes that are not text.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00]);

forEachBackend('Api > media', function (backend) {
  this.timeout(30_000);
  let p: TestPlatform;
  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
  });
  after(() => p.stop());

  const get = async (url: string, method = 'GET') => {
    const res = await fetch(url.startsWith('http') ? url : `${p.runtime.url}${url}`, { method });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const upload = (bytes: Buffer, contentType = 'image/png') => p.post('media.upload', { file: bytes.toString('base64'), content_type: contentType });

  it('stores an upload (201) and serves it back at its signed URL, byte for byte, never sniffed', async () => {
    const res = await upload(PNG);
    expect(res.status, res.text).to.equal(201);
    expect(res.json.name).to.match(/^[0-9a-f]{64}\.png$/);
    expect(res.json.media_url).to.equal(`${p.runtime.url}${res.json.media_path}`);
    expect(Date.parse(res.json.expires_at) - Date.now()).to.be.greaterThan(6 * 24 * 3600 * 1000);
    const served = await get(res.json.media_url);
    expect(served.status).to.equal(200);
    expect(served.bytes.equals(PNG)).to.equal(true);
    expect(served.headers.get('content-type')).to.equal('image/png');
    expect(served.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(served.headers.get('content-security-policy')).to.include('sandbox');
    expect((await upload(PNG)).json.name, 'the same bytes are stored once, under the same name').to.equal(res.json.name);
  });

  it('refuses a URL whose signature, name or expiry was changed (403), and methods other than GET (405)', async () => {
    const { media_path: mediaPath, name } = (await upload(Buffer.from('a text attachment'), 'text/plain')).json;
    const url = new URL(mediaPath, p.runtime.url);
    const signature = url.searchParams.get('signature')!;
    const variants = [
      mediaPath.replace(`signature=${signature}`, `signature=${signature.slice(0, -2)}AA`),
      mediaPath.replace(name, `${'0'.repeat(64)}.txt`),
      mediaPath.replace(/expires=(\d+)/, (_m: string, s: string) => `expires=${Number(s) + 1}`),
      `/media/${name}`,
    ];
    for (const variant of variants) expect((await get(variant)).status, variant).to.equal(403);
    expect((await get(mediaPath, 'DELETE')).status).to.equal(405);
    expect((await get(mediaPath)).status).to.equal(200);
  });

  it('media.url signs a fresh URL for a stored file; 404 for an unknown one', async () => {
    const { name } = (await upload(Buffer.from('another file'), 'application/pdf')).json;
    const res = await p.post('media.url', { name });
    expect(res.status, res.text).to.equal(200);
    expect((await get(res.json.media_url)).bytes.toString()).to.equal('another file');
    expectError(await p.post('media.url', { name: `${'1'.repeat(64)}.pdf` }), 404, 'RUNTIME_NOT_FOUND');
    expectError(await p.post('media.url', { name: '../auth/jwt-secret' }), 400, 'RUNTIME_INVALID_REQUEST');
  });

  it('is in the OpenAPI document, with answers it describes', async () => {
    const doc: any = await (await fetch(`${p.runtime.url}/openapi.json`)).json();
    const upload = doc.paths['/media.upload'].post;
    expect(Object.keys(upload.responses)).to.include.members(['201', '400', '401']);
    expect(upload.requestBody.content['application/json'].schema.required).to.deep.equal(['file', 'content_type']);
    expect(Object.keys(doc.paths['/media.url'].post.responses)).to.include.members(['200', '404']);
  });

  it('answers 400 for bad uploads and 401 without a token', async () => {
    expectError(await p.post('media.upload', { content_type: 'image/png' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('media.upload', { file: 'not base64!', content_type: 'image/png' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('media.upload', { file: PNG.toString('base64'), content_type: 'png' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('media.upload', { file: '', content_type: 'image/png' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('media.upload', { file: PNG.toString('base64'), content_type: 'image/png' }, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
    const res = await readTestResponse(await fetch(`${p.runtime.url}/media/${'2'.repeat(64)}.png`));
    expect([res.status, res.json?.code]).to.deep.equal([403, 'RUNTIME_FORBIDDEN']);
  });
});

describe('Api > media > MediaUrlSigner', () => {
  it('verifies its own signatures until they expire, and no others', () => {
    const signer = new MediaUrlSigner('key-1');
    const url = new URL(signer.sign('a.png', 1000), 'http://x');
    const [expires, signature] = [url.searchParams.get('expires')!, url.searchParams.get('signature')!];
    expect(signer.verify('a.png', expires, signature, 999)).to.equal(true);
    expect(signer.verify('a.png', expires, signature, 1000)).to.equal(true);
    expect(signer.verify('a.png', expires, signature, 1001), 'expired').to.equal(false);
    expect(signer.verify('b.png', expires, signature, 999)).to.equal(false);
    expect(new MediaUrlSigner('key-2').verify('a.png', expires, signature, 999)).to.equal(false);
    expect(signer.verify('a.png', undefined, signature, 999)).to.equal(false);
    expect(signer.verify('a.png', '1e3', signature, 999)).to.equal(false);
  });
});
