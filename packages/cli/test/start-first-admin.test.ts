import { expect } from 'chai';
import { spawnParley, tempDir } from './helpers.js';

describe('Cli > start > first admin', function () {
  this.timeout(60_000);

  it('prints the inbox URL and a one-time setup link that creates the first admin, and no link once one exists', async () => {
    const cwd = tempDir('start-admin');
    const first = spawnParley(['start', '--port', '0', '--data-dir', 'data'], { cwd });
    const [, url] = await first.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/);
    const [, link] = await first.waitFor(/^\s+(http:\/\/\S+\/ui\/setup\?token=\S+)$/m);
    await first.waitFor(/Ctrl\+C/);
    expect(first.stdout()).to.include(`inbox           ${url}/ui/`);
    const token = new URL(link!).searchParams.get('token');
    const res = await fetch(`${url}/auth.setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' }) });
    const login = await fetch(`${url}/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }) });
    first.child.kill('SIGTERM');
    expect([res.status, login.status, await first.exited]).to.deep.equal([201, 200, 0]);
    const second = spawnParley(['start', '--port', '0', '--data-dir', 'data'], { cwd });
    await second.waitFor(/Ctrl\+C/);
    second.child.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
    expect(second.stdout()).not.to.include('/ui/setup');
  });
});
