import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, type CommandSpec } from '../src/options.js';
import { runParley, spawnParley, tempDir, type ParleyProcess } from './helpers.js';

/** Every command path with an action or subcommands: `topics`, `topics tail`, … */
function commandPaths(specs: readonly CommandSpec[], prefix: string[] = []): string[][] {
  return specs.flatMap((s) => [[...prefix, s.name], ...commandPaths(s.subcommands ?? [], [...prefix, s.name])]);
}

/** One-line known error: `CODE: message` (and `(HTTP n)` for the runtime's own). */
function oneLineError(stderr: string, code: string): void {
  expect(stderr.split('\n'), stderr).to.have.length(2);
  expect(stderr).to.match(new RegExp(`^${code}: .+\\n$`));
}

describe('Cli > commands (the real binary)', function () {
  // Each run starts Node with the TypeScript loader: a second or two on a small machine.
  this.timeout(60_000);

  it('prints --help for every command, exit 0', async () => {
    const paths = commandPaths(COMMANDS);
    expect(paths.map((p) => p.join(' '))).to.include.members(['topics tail', 'topics delete', 'config validate', 'token', 'status']);
    const results = await Promise.all(paths.map((p) => runParley([...p, '--help'], { cwd: tempDir('help') })));
    expect(results.map((r, i) => [paths[i]!.join(' '), r.code, r.stdout.startsWith(`Usage: parley ${paths[i]!.join(' ')}`)])).to.deep.equal(paths.map((p) => [p.join(' '), 0, true]));
  });

  describe('config validate', () => {
    it('prints the resolved configuration, secrets redacted in --json', async () => {
      const cwd = tempDir('config');
      fs.writeFileSync(path.join(cwd, 'parley.yaml'), 'http:\n  port: 9090\nauth:\n  jwtSecret: a-very-secret-jwt-signing-key-0123456789abcdef\n');
      const text = await runParley(['config', 'validate'], { cwd });
      expect([text.code, text.stdout.split('\n')[0], text.stdout.includes('127.0.0.1:9090')]).to.deep.equal([0, 'configuration is valid', true]);
      const json = await runParley(['config', 'validate', '--json'], { cwd });
      const answer = JSON.parse(json.stdout);
      expect([json.code, answer.valid, answer.config.http.port, json.stdout.includes('a-very-secret')]).to.deep.equal([0, true, 9090, false]);
    });

    it('names the bad field in one line and exits 2', async () => {
      const cwd = tempDir('config');
      fs.writeFileSync(path.join(cwd, 'bad.yaml'), 'http:\n  port: eighty\n');
      const result = await runParley(['config', 'validate', '--config', 'bad.yaml'], { cwd });
      expect(result.code).to.equal(2);
      oneLineError(result.stderr, 'RUNTIME_CONFIG_INVALID');
      expect(result.stderr).to.include('http.port');
    });
  });

  describe('against a started platform', () => {
    let cwd: string;
    let platform: ParleyProcess;
    let url: string;
    let systemToken: string;
    const parley = (args: string[], input?: string) => runParley(args, { cwd, ...(input === undefined ? {} : { input }) });
    const post = async (route: string, body: object, token = systemToken) => {
      const res = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };

    before(async () => {
      cwd = tempDir('platform');
      platform = spawnParley(['start', '--port', '0'], { cwd });
      [, url] = (await platform.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
      await platform.waitFor(/Ctrl\+C/);
      systemToken = fs.readFileSync(path.join(cwd, '.parley-data', 'auth', 'system-token'), 'utf8').trim();
    });
    after(async () => {
      platform.child.kill('SIGTERM');
      expect(await platform.exited).to.equal(0);
    });

    it('status reports health and the applications', async () => {
      const result = await parley(['status', '--json']);
      const answer = JSON.parse(result.stdout);
      expect([result.code, answer.health.status, answer.health.checks.runtime]).to.deep.equal([0, 'ready', 'running']);
      expect(answer.data.map((a: { name: string }) => a.name)).to.include('communication');
    });

    it('produces, lists, describes and tails a topic of its own', async () => {
      const one = await parley(['topics', 'produce', 'demo.events', '--create', '--key', 'k1', '--value', '{"n":1}']);
      expect([one.code, one.stdout]).to.deep.equal([0, 'produced 1 record to demo.events\n']);
      const many = await parley(['topics', 'produce', 'demo.events', '--key', 'k2', '--json'], 'plain text\n\n{"n":3}\n');
      expect([many.code, JSON.parse(many.stdout).offsets]).to.deep.equal([0, [{ partition: 0, offset: 1 }, { partition: 0, offset: 2 }]]);

      const list = await parley(['topics', 'list', '--prefix', 'demo.', '--json']);
      expect(JSON.parse(list.stdout).data.map((t: { name: string; partitions: Array<{ end_offset: number }> }) => [t.name, t.partitions[0]!.end_offset])).to.deep.equal([['demo.events', 3]]);
      const listText = await parley(['topics', 'list']);
      expect(listText.stdout.split('\n')[0]).to.match(/^TOPIC\s+PARTITIONS\s+CLEANUP\s+END OFFSETS$/);
      expect(listText.stdout).to.match(/^demo\.events\s+1\s+delete\s+3$/m);

      const describe = await parley(['topics', 'describe', 'demo.events', '--json']);
      expect(JSON.parse(describe.stdout)).to.deep.include({ name: 'demo.events', cleanup_policy: 'delete', stored_records: 3 });

      const tail = await parley(['topics', 'tail', 'demo.events', '--json']);
      const records = tail.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(records.map((r) => [r.offset, r.key.data, r.value.encoding, r.value.data])).to.deep.equal([
        [0, 'k1', 'json', { n: 1 }],
        [1, 'k2', 'string', 'plain text'],
        [2, 'k2', 'json', { n: 3 }],
      ]);
      const text = await parley(['topics', 'tail', 'demo.events', '--max', '2']);
      expect(text.stdout.split('\n').map((l) => l.replace(/ {2}\S+Z {2}/, '  T  '))).to.deep.equal(['0:0  T  k1  {"n":1}', '0:1  T  k2  plain text', '']);
      const latest = await parley(['topics', 'tail', 'demo.events', '--from', 'latest']);
      expect([latest.code, latest.stdout]).to.deep.equal([0, '']);
    });

    it('tail --follow prints new records as they come, and stops cleanly on SIGINT', async () => {
      await parley(['topics', 'produce', 'demo.follow', '--create', '--value', 'first']);
      const follow = spawnParley(['topics', 'tail', 'demo.follow', '--follow'], { cwd });
      await follow.waitFor(/ first\n/);
      await parley(['topics', 'produce', 'demo.follow', '--value', 'second']);
      await follow.waitFor(/ second\n/);
      follow.child.kill('SIGINT');
      expect(await follow.exited).to.equal(0);
    });

    it('decodes the model topics: an Avro message shown as JSON', async () => {
      const source = await post('sources.create', { id: 'shop' });
      await post('sources.channels.create', { source_id: 'shop', source_channel_id: 'web' });
      const hook = await post('sources.webhook', { messages: [{ source_message_id: 'm-1', source_conversation_id: 'ada', source_channel_id: 'web', sent_at: 1_700_000_000_000, content: { text: 'hello' }, from_contact: true }] }, source.json.token);
      expect(hook.status).to.be.below(300);
      // The router writes the message asynchronously: wait until the conversation shows.
      for (let i = 0; (await post('conversations.list', {})).json.data.length === 0; i++) {
        if (i > 200) throw new Error('the message never reached the conversations');
        await new Promise((r) => setTimeout(r, 50));
      }
      const tail = await parley(['topics', 'tail', 'application.communication.messages', '--json']);
      const [record] = tail.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect([record.key.encoding, record.value.encoding, record.value.schema]).to.deep.equal(['string', 'avro', 'org.parley.model.Message']);
      expect(JSON.stringify(record.value.data)).to.include('hello');
    });

    it('errors: one line with a stable code and the exit code of the table', async () => {
      const missing = await parley(['topics', 'tail', 'no.such.topic']);
      expect(missing.code).to.equal(4);
      oneLineError(missing.stderr, 'STREAMS_TOPIC_NOT_FOUND');
      const badFrom = await parley(['topics', 'tail', 'demo.events', '--from', 'yesterday']);
      expect(badFrom.code).to.equal(2);
      expect(badFrom.stderr).to.include('--from takes earliest, latest');
      const unreachable = await parley(['topics', 'list', '--url', 'http://127.0.0.1:9']);
      expect(unreachable.code).to.equal(3);
      oneLineError(unreachable.stderr, 'CLI_RUNTIME_UNREACHABLE');
    });

    it('token mints a user JWT the runtime accepts, which may read but not write topics', async () => {
      const minted = await parley(['token', '--subject', 'ada', '--expires-in', '600', '--json']);
      const answer = JSON.parse(minted.stdout);
      expect([minted.code, answer.subject, typeof answer.expires_at]).to.deep.equal([0, 'ada', 'number']);
      expect((await post('conversations.list', {}, answer.token)).status).to.equal(200);
      const plain = await parley(['token', '-s', 'grace']);
      expect(plain.stdout).to.match(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const asUser = await runParley(['topics', 'produce', 'demo.events', '--value', 'x', '--url', url, '--token', answer.token], { cwd });
      expect(asUser.code).to.equal(4);
      oneLineError(asUser.stderr, 'RUNTIME_FORBIDDEN');
      const noSubject = await parley(['token']);
      expect(noSubject.code).to.equal(2);
      oneLineError(noSubject.stderr, 'CLI_USAGE');
    });

    it('delete asks for a confirmation, refuses a running topology\'s topic, then deletes', async () => {
      await parley(['topics', 'produce', 'demo.doomed', '--create', '--value', 'x']);
      const unconfirmed = await parley(['topics', 'delete', 'demo.doomed']);
      expect(unconfirmed.code).to.equal(2);
      oneLineError(unconfirmed.stderr, 'CLI_USAGE');
      expect((await parley(['topics', 'describe', 'demo.doomed'])).code).to.equal(0);
      const inUse = await parley(['topics', 'delete', 'source.custom.events', '--yes']);
      expect(inUse.code).to.equal(4);
      oneLineError(inUse.stderr, 'RUNTIME_INVALID_REQUEST');
      const deleted = await parley(['topics', 'delete', 'demo.doomed', '--yes', '--json']);
      expect([deleted.code, JSON.parse(deleted.stdout)]).to.deep.equal([0, { name: 'demo.doomed', deleted: true }]);
      expect((await parley(['topics', 'describe', 'demo.doomed'])).code).to.equal(4);
    });
  });
});
