import { expect } from 'chai';
import { S3_ACCESS_KEY_ID, S3_REGION, S3_SECRET_ACCESS_KEY, startFakeS3, type FakeS3 } from '../media/fake-s3.js';
import { expectError, startPlatform, type TestPlatform } from './communication/platform-fixture.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x53, 0x33]);

describe('Api > media on an S3-compatible store', function () {
  this.timeout(60_000);
  let fake: FakeS3;
  const platforms: TestPlatform[] = [];
  const start = async (s3: Record<string, unknown> = {}) => {
    const p = await startPlatform({}, { media: { store: 's3', s3: { bucket: 'media', region: S3_REGION, endpoint: fake.endpoint, accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY, prefix: 'parley/', ...s3 } } });
    platforms.push(p);
    return p;
  };
  const fetchBytes = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  before(async () => {
    fake = await startFakeS3();
  });
  after(async () => {
    await Promise.all(platforms.map((p) => p.stop()));
    await fake.close();
  });

  it('stores an upload in the bucket; media_url is a presigned URL of the store serving the same bytes, media_path serves them through the runtime', async () => {
    const p = await start();
    const res = await p.post('media.upload', { file: PNG.toString('base64'), content_type: 'image/png' });
    expect(res.status, res.text).to.equal(201);
    const object = fake.objects.get(`media/parley/${res.json.name}`);
    expect(object?.bytes.equals(PNG), 'the object in the bucket').to.equal(true);
    expect(object?.contentType).to.equal('image/png');
    expect(res.json.media_url.startsWith(`${fake.endpoint}/media/parley/${res.json.name}?`), res.json.media_url).to.equal(true);
    expect(new URL(res.json.media_url).searchParams.get('X-Amz-Expires')).to.equal(String(7 * 24 * 3600));
    const fromStore = await fetchBytes(res.json.media_url);
    expect([fromStore.status, fromStore.type, fromStore.bytes.equals(PNG)]).to.deep.equal([200, 'image/png', true]);
    const throughRuntime = await fetchBytes(`${p.runtime.url}${res.json.media_path}`);
    expect([throughRuntime.status, throughRuntime.type, throughRuntime.bytes.equals(PNG)]).to.deep.equal([200, 'image/png', true]);

    const fresh = await p.post('media.url', { name: res.json.name });
    expect(fresh.status, fresh.text).to.equal(200);
    expect((await fetchBytes(fresh.json.media_url)).bytes.equals(PNG)).to.equal(true);
    expectError(await p.post('media.url', { name: `${'3'.repeat(64)}.png` }), 404, 'RUNTIME_NOT_FOUND');
  });

  it("takes Airy's multipart upload into the bucket too", async () => {
    const p = await start();
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.7 s3')], { type: 'application/pdf' }), 'doc.pdf');
    const res = await fetch(`${p.runtime.url}/media.upload`, { method: 'POST', headers: { authorization: `Bearer ${p.token}` }, body: form });
    const json = (await res.json()) as { name: string; media_url: string };
    expect(res.status).to.equal(201);
    expect(fake.objects.get(`media/parley/${json.name}`)?.contentType).to.equal('application/pdf');
    expect((await fetchBytes(json.media_url)).bytes.toString()).to.equal('%PDF-1.7 s3');
  });

  it('answers publicBaseUrl/<key> when the bucket is public', async () => {
    const p = await start({ publicBaseUrl: 'https://cdn.example/media/' });
    const res = await p.post('media.upload', { file: Buffer.from('public').toString('base64'), content_type: 'text/plain' });
    expect(res.status, res.text).to.equal(201);
    expect(res.json.media_url).to.equal(`https://cdn.example/media/parley/${res.json.name}`);
  });

  it('502 RUNTIME_MEDIA_STORE_FAILED with bad credentials or an unknown bucket: nothing stored, the secret in no answer and no log line', async () => {
    const stored = fake.objects.size;
    const wrongSecret = 'Wrong/Secret/Key/For/The/Fake/S3/Store00';
    const p = await start({ secretAccessKey: wrongSecret });
    const res = await p.post('media.upload', { file: PNG.toString('base64'), content_type: 'image/png' });
    expectError(res, 502, 'RUNTIME_MEDIA_STORE_FAILED');
    expect(res.json.message).to.include('SignatureDoesNotMatch');
    expect(fake.requests.at(-1)?.error).to.equal('SignatureDoesNotMatch');
    const q = await start({ bucket: 'no-such-bucket' });
    const missing = await q.post('media.upload', { file: PNG.toString('base64'), content_type: 'image/png' });
    expectError(missing, 502, 'RUNTIME_MEDIA_STORE_FAILED');
    expect(missing.json.message).to.include('NoSuchBucket');
    expect(fake.objects.size, 'nothing stored').to.equal(stored);
    for (const text of [res.text, missing.text, ...p.lines, ...q.lines]) {
      expect(text).not.to.include(wrongSecret);
      expect(text).not.to.include(S3_SECRET_ACCESS_KEY);
    }
  });
});
