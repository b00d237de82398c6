import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { it } from 'mocha';
import { describeIfRedis, redisUrl } from '../helpers/services.js';
import { sendCommand } from './resp-command.js';

describeIfRedis('Services > Redis server', function () {
  this.timeout(10_000);

  it('answers PING with PONG', async () => {
    expect(await sendCommand(redisUrl(), ['PING'])).to.equal('PONG');
  });

  it('echoes a random payload back unchanged', async () => {
    const payload = `parley-${randomUUID()}`;
    expect(await sendCommand(redisUrl(), ['ECHO', payload])).to.equal(payload);
  });

  it('stores a key and reads it back', async () => {
    const key = `parley:smoke:${randomUUID()}`;
    const value = randomUUID();
    expect(await sendCommand(redisUrl(), ['SET', key, value, 'PX', '10000'])).to.equal('OK');
    expect(await sendCommand(redisUrl(), ['GET', key])).to.equal(value);
  });
});
