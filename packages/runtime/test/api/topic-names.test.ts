import { expect } from 'chai';
import { startPlatform, type TestPlatform } from './communication/platform-fixture.js';

/** Topic names Kafka refuses are bad input: 400, never a 500 from the log (the route fuzzer found `.`). */
describe('Api > Topics > names', function () {
  this.timeout(30_000);
  let p: TestPlatform;
  before(async () => (p = await startPlatform()));
  after(async () => p.stop());

  for (const name of ['.', '..']) {
    it(`refuses topics.describe of ${JSON.stringify(name)} with 400 RUNTIME_INVALID_REQUEST`, async () => {
      const res = await p.post('topics.describe', { name });
      expect([res.status, res.json.code], res.text).to.deep.equal([400, 'RUNTIME_INVALID_REQUEST']);
    });
  }
});
