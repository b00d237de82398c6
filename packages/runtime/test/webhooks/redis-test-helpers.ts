import { expect } from 'chai';

/** True under CI (`CI=true` or `CI=1`). */
function isCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci === 'true' || ci === '1';
}

/**
 * `describe` that runs only when `REDIS_URL` names a real Redis (`npm test` starts one with
 * scripts/redis.sh). Without it the suite shows one pending test saying why; under CI it fails.
 */
export function describeIfRedis(title: string, fn: (this: Mocha.Suite) => void): Mocha.Suite {
  if ((process.env.REDIS_URL ?? '').trim() !== '') return describe(title, fn);
  return describe(title, () => {
    if (isCi()) it('needs a real Redis, which CI must provide (REDIS_URL not set)', () => expect.fail('REDIS_URL is not set under CI'));
    else it('runs against a real Redis (REDIS_URL not set: run `npm test`, or `bash scripts/redis.sh start`)');
  });
}

export function redisUrl(): string {
  const url = (process.env.REDIS_URL ?? '').trim();
  if (url === '') throw new Error('REDIS_URL is not set: run `npm test`, or `bash scripts/redis.sh start`');
  return url;
}
