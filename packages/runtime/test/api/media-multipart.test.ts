import * as http from 'node:http';
import { expect } from 'chai';
import { MAX_MEDIA_BYTES } from '../../src/media/register-media.js';
import { readTestResponse, type TestResponse } from '../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './communication/platform-fixture.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x46, 0x44]);

describe('Api > media.upload as multipart/form-data (Airy)', function () {
  this.timeout(60_000);
  let p: TestPlatform;
  before(async () => {
    p = await startPlatform();
  });
  after(() => p.stop());

  /** POSTs a real FormData through fetch (which sets the multipart Content-Type and boundary). */
  const postForm = async (route: string, form: FormData, token: string | null = p.token): Promise<TestResponse> =>
    readTestResponse(await fetch(`${p.runtime.url}/${route}`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` }, body: form }));
  const fileForm = (bytes: Buffer, type: string, field = 'file') => {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type }), 'upload.bin');
    return form;
  };

  it("stores the form's file part (201) under the name the JSON upload gives the same bytes, typed by its part", async () => {
    const res = await postForm('media.upload', fileForm(PNG, 'image/png'));
    expect(res.status, res.text).to.equal(201);
    expect(res.json.name).to.match(/^[0-9a-f]{64}\.png$/);
    const served = await fetch(res.json.media_url);
    expect([served.status, served.headers.get('content-type')]).to.deep.equal([200, 'image/png']);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).to.equal(true);
    const json = await p.post('media.upload', { file: PNG.toString('base64'), content_type: 'image/png' });
    expect(json.json.name, 'the JSON form still works, and names the same bytes alike').to.equal(res.json.name);
  });

  it('a content_type field overrides the part type', async () => {
    const form = fileForm(Buffer.from('%PDF-1.7'), 'application/octet-stream');
    form.append('content_type', 'application/pdf');
    const res = await postForm('media.upload', form);
    expect(res.status, res.text).to.equal(201);
    expect(res.json.name).to.match(/\.pdf$/);
    expect((await fetch(res.json.media_url)).headers.get('content-type')).to.equal('application/pdf');
  });

  it(`takes a file of exactly ${MAX_MEDIA_BYTES} bytes; one byte more is 413 RUNTIME_BODY_TOO_LARGE`, async () => {
    const big = Buffer.alloc(MAX_MEDIA_BYTES, 7);
    const ok = await postForm('media.upload', fileForm(big, 'video/mp4'));
    expect(ok.status, ok.text).to.equal(201);
    expectError(await postForm('media.upload', fileForm(Buffer.alloc(MAX_MEDIA_BYTES + 1, 7), 'video/mp4')), 413, 'RUNTIME_BODY_TOO_LARGE');
  });

  it('refuses a form whose declared length is over the limit before a byte of it is sent (413, connection closed)', async () => {
    const answer = await new Promise<{ status: number | undefined; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = http.request(`${p.runtime.url}/media.upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'multipart/form-data; boundary=XyZ', 'content-length': String(MAX_MEDIA_BYTES + 1024 * 1024) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      req.flushHeaders(); // headers only: the body is never written
    });
    expect([answer.status, answer.connection, JSON.parse(answer.body).code]).to.deep.equal([413, 'close', 'RUNTIME_BODY_TOO_LARGE']);
  });

  it('400 without a file part, with a file part of another name, with two files, with a bad type or boundary; 415 on a JSON-only route; 401 without a token', async () => {
    const noFile = new FormData();
    noFile.append('content_type', 'image/png');
    expectError(await postForm('media.upload', noFile), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await postForm('media.upload', fileForm(PNG, 'image/png', 'upload')), 400, 'RUNTIME_INVALID_REQUEST');
    const two = fileForm(PNG, 'image/png');
    two.append('file', new Blob([PNG], { type: 'image/png' }), 'again.png');
    expectError(await postForm('media.upload', two), 400, 'RUNTIME_INVALID_REQUEST');
    const badType = fileForm(PNG, 'image/png');
    badType.append('content_type', 'png');
    expectError(await postForm('media.upload', badType), 400, 'RUNTIME_INVALID_REQUEST');
    const noBoundary = await readTestResponse(
      await fetch(`${p.runtime.url}/media.upload`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'multipart/form-data' }, body: 'x' }),
    );
    expectError(noBoundary, 400, 'RUNTIME_INVALID_REQUEST');
    const truncated = await readTestResponse(
      await fetch(`${p.runtime.url}/media.upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'multipart/form-data; boundary=XyZ' },
        body: '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc',
      }),
    );
    expectError(truncated, 400, 'RUNTIME_INVALID_REQUEST');
    const name = `${'4'.repeat(64)}.png`;
    const form = new FormData();
    form.append('name', name);
    expectError(await postForm('media.url', form), 415, 'RUNTIME_UNSUPPORTED_MEDIA_TYPE');
    expectError(await postForm('media.upload', fileForm(PNG, 'image/png'), null), 401, 'RUNTIME_UNAUTHORIZED');
  });

  it('describes the form in the OpenAPI document', async () => {
    const doc: any = await (await fetch(`${p.runtime.url}/openapi.json`)).json();
    const content = doc.paths['/media.upload'].post.requestBody.content;
    expect(Object.keys(content)).to.deep.equal(['application/json', 'multipart/form-data']);
    expect(content['multipart/form-data'].schema.required).to.deep.equal(['file']);
    expect(content['multipart/form-data'].schema.properties.file.format).to.equal('binary');
    expect(doc.paths['/media.url'].post.requestBody.content).to.have.all.keys('application/json');
  });
});
