import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataDir, resolveConfig } from '../../src/index.js';
import { loadAuthSecrets } from '../../src/auth/auth-secrets.js';
import { readOrCreateSecretFile } from '../../src/auth/secret-file.js';
import { tempDir } from '../helpers.js';

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('Auth > secret files', () => {
  it('generates a secret once, stores it with mode 0600 and reads it back afterwards', () => {
    const file = path.join(tempDir('auth'), 'secret');
    let generated = 0;
    const generate = () => `value-${++generated}`;
    const first = readOrCreateSecretFile(file, generate);
    const second = readOrCreateSecretFile(file, generate);
    expect([first, second, mode(file), generated]).to.deep.equal([
      { value: 'value-1', created: true, permissionsFixed: false },
      { value: 'value-1', created: false, permissionsFixed: false },
      0o600,
      1,
    ]);
  });

  it('takes back the permissions of a secret file others can read', () => {
    const file = path.join(tempDir('auth'), 'secret');
    fs.writeFileSync(file, 'abc\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect([readOrCreateSecretFile(file, () => 'x'), mode(file)]).to.deep.equal([{ value: 'abc', created: false, permissionsFixed: true }, 0o600]);
  });

  it('refuses an empty secret file with RUNTIME_DATA_DIR_INVALID', () => {
    const file = path.join(tempDir('auth'), 'secret');
    fs.writeFileSync(file, '\n', { mode: 0o600 });
    expect(() => readOrCreateSecretFile(file, () => 'x')).to.throw().with.property('code', 'RUNTIME_DATA_DIR_INVALID');
  });
});

describe('Auth > loadAuthSecrets', () => {
  it('generates the system token and JWT secret into the data directory on first start only', () => {
    const dataDir = new DataDir(tempDir('auth'));
    dataDir.ensure();
    const config = resolveConfig({ dataDir: dataDir.root });
    const first = loadAuthSecrets(config, dataDir);
    const second = loadAuthSecrets(config, dataDir);
    expect([first.systemTokenOrigin, second.systemTokenOrigin]).to.deep.equal(['generated', 'data-dir']);
    expect([second.systemToken, second.jwtSecret]).to.deep.equal([first.systemToken, first.jwtSecret]);
    expect(first.systemToken).to.match(/^parley_st_[A-Za-z0-9_-]{43}$/);
    expect([mode(dataDir.systemTokenFile), mode(dataDir.jwtSecretFile), mode(dataDir.authDir)]).to.deep.equal([0o600, 0o600, 0o700]);
  });

  it('uses configured secrets and writes no file for them', () => {
    const dataDir = new DataDir(tempDir('auth'));
    dataDir.ensure();
    const auth = { systemToken: 'configured-system-token', jwtSecret: 'j'.repeat(32) };
    const secrets = loadAuthSecrets(resolveConfig({ dataDir: dataDir.root, auth }), dataDir);
    expect([secrets.systemToken, secrets.systemTokenOrigin, secrets.jwtSecret]).to.deep.equal([auth.systemToken, 'config', auth.jwtSecret]);
    expect([fs.existsSync(dataDir.systemTokenFile), fs.existsSync(dataDir.jwtSecretFile)]).to.deep.equal([false, false]);
  });
});
