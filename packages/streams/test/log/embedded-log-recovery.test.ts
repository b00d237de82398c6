import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { segmentFileName } from '../../src/log/embedded/segment.js';
import { tempDir } from '../helpers/temp-dir.js';

const b = (s: string) => Buffer.from(s);

async function readValues(log: EmbeddedLog, topic: string): Promise<string[]> {
  const out: string[] = [];
  let offset = await log.beginningOffset({ topic, partition: 0 });
  for (;;) {
    const page = await log.read({ topic, partition: 0 }, offset, { maxRecords: 100 });
    if (page.length === 0) return out;
    out.push(...page.map((r) => r.value!.toString()));
    offset = page[page.length - 1]!.offset + 1;
  }
}

describe('Log > EmbeddedLog > recovery of a damaged segment', () => {
  // Issue 9's data loss: a write cut short by ENOSPC left a partial frame, later appends went
  // behind it, and the next open cut the segment at the partial frame, dropping all of them.
  it('keeps the complete records behind a partial frame in the middle of a segment, and reports it', async () => {
    const dir = tempDir('mid-corrupt');
    const warnings: string[] = [];
    const open = async () => {
      const log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0, onCorruption: (c) => warnings.push(`${c.file}@${c.position}`) });
      await log.open();
      return log;
    };
    let log = await open();
    await log.createTopics([{ name: 't' }]);
    await log.append('t', [{ key: b('a'), value: b('1') }, { key: b('b'), value: b('2') }]);
    await log.close();
    const segment = path.join(dir, 'topics', 't', '0', segmentFileName(0));
    const goodLength = fs.statSync(segment).size;
    // The first bytes of a frame whose write failed: a length running far past what follows.
    fs.appendFileSync(segment, Buffer.from([0x40, 0, 0, 0, 1, 2, 3]));
    // Appended behind the partial frame, as the old code did after a failed write.
    const otherDir = tempDir('mid-corrupt-src');
    const tail = new EmbeddedLog({ dir: otherDir, maintenanceIntervalMs: 0 });
    await tail.open();
    await tail.createTopics([{ name: 't' }]);
    await tail.append('t', [{ key: b('x'), value: b('x') }, { key: b('y'), value: b('y') }]);
    await tail.append('t', [{ key: b('c'), value: b('3') }, { key: b('d'), value: b('4') }]);
    await tail.close();
    const source = fs.readFileSync(path.join(otherDir, 'topics', 't', '0', segmentFileName(0)));
    // Records 2 and 3 (offsets 2, 3) of the other log are frames with the right offsets.
    fs.appendFileSync(segment, source.subarray(frameStart(source, 2)));

    log = await open();
    expect(await readValues(log, 't')).to.deep.equal(['1', '2', '3', '4']);
    expect(warnings).to.deep.equal([`${segment}@${goodLength}`]);
    const [meta] = await log.append('t', [{ key: b('e'), value: b('5') }]);
    expect(meta!.offset).to.equal(4);
    expect(await readValues(log, 't')).to.deep.equal(['1', '2', '3', '4', '5']);
    await log.close();
    // A second open finds the same records and reports the same damage (it is not rewritten).
    log = await open();
    expect(await readValues(log, 't')).to.deep.equal(['1', '2', '3', '4', '5']);
    await log.close();
  });
});

/** Byte position of the `index`-th frame in a segment file. */
function frameStart(file: Buffer, index: number): number {
  let pos = 0;
  for (let i = 0; i < index; i++) pos += file.readUInt32LE(pos) + 4;
  return pos;
}
