// The README's walk-through, run as written: its shell block is taken from
// README.md, pointed at a server started with the demo contact center (as
// `make run` starts it), and run with bash and curl in a scratch folder, so
// that the commands a new user pastes cannot drift from what the server
// accepts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, SOURCE_DIR } from './lib/server.mjs';

let server;
const scratch = mkdtempSync(join(tmpdir(), 'wb-readme-'));
after(async () => {
  await server?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

// The lines of the first ```sh block after the walk-through heading.
function walkThrough() {
  const readme = readFileSync(join(SOURCE_DIR, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Five-line walk-through'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'README.md has the walk-through block');
  return block[1].split('\n').filter((l) => l.trim() !== '');
}

test('the README walk-through, pasted into a shell, makes workitem Ready and leaves email NotReady', async () => {
  server = await new Server().start();
  const address = new URL(server.url).host;  // 127.0.0.1:<port>
  // One output line per command: an `echo` after every line that does not
  // continue on the next one; the server's address instead of the README's.
  const script = [];
  for (const line of walkThrough()) {
    script.push(line.replaceAll('localhost:8090', address));
    if (!line.trimEnd().endsWith('\\')) script.push('echo');
  }
  const run = spawnSync('bash', ['-c', script.join('\n')], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const replies = run.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  // me, StartContactCenterSession, Ready, channels (the TOKEN line prints nothing).
  assert.equal(replies.length, 4, run.stdout);
  for (const r of replies) assert.equal(r.statusCode, 0, JSON.stringify(r));
  assert.equal(replies[0].user.userName, 'alice');
  const states = Object.fromEntries(replies[3].channels.map((c) => [c.channel, c.userState.state]));
  assert.deepEqual(states, { workitem: 'Ready', email: 'NotReady' }, JSON.stringify(replies[3]));
});
