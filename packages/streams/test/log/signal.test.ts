import { expect } from 'chai';
import { Signal } from '../../src/log/embedded/signal.js';

const settledWithin = async (promise: Promise<void>, ms: number): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('Log > EmbeddedLog > Signal', () => {
  it('wakes a waiter at notify', async () => {
    const signal = new Signal();
    const waiting = signal.wait(10_000);
    signal.notify();
    expect(await settledWithin(waiting, 100)).to.equal(true);
  });

  it('remembers a notify that found nobody waiting, once', async () => {
    const signal = new Signal();
    signal.notify();
    expect(await settledWithin(signal.wait(10_000), 100), 'the remembered notify').to.equal(true);
    expect(await settledWithin(signal.wait(300), 100), 'nothing left to remember').to.equal(false);
  });

  it('resolves after the timeout without a notify', async () => {
    const signal = new Signal();
    expect(await settledWithin(signal.wait(20), 500)).to.equal(true);
  });
});
