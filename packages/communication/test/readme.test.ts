import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const readme = fs.readFileSync(path.join(here, '..', 'README.md'), 'utf8');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('Communication > README', () => {
  it('has a Usage example that runs and prints what its comment says', async function () {
    this.timeout(30_000);
    const block = /<!-- usage:start[^>]*-->\n```ts\n([\s\S]*?)```\n<!-- usage:end -->/.exec(readme)?.[1];
    expect(block, 'usage block').to.be.a('string');
    // Run it as a user would, from a fresh project directory that has the packages installed.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-communication-readme-'));
    try {
      fs.symlinkSync(path.join(here, '..', '..', '..', 'node_modules'), path.join(dir, 'node_modules'));
      fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      fs.writeFileSync(path.join(dir, 'usage.ts'), block!);
      const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', tsx, 'usage.ts'], { cwd: dir });
      const promised = /console\.log\(.*\); \/\/ (.*)$/m.exec(block!)?.[1];
      expect(promised, 'the printed line the example promises').to.be.a('string');
      expect(stdout.trim()).to.equal(promised);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
