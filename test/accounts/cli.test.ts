// horizon users and horizon tokens, run as users run them (the built command in a child process):
// no account exists until the first is added, passwords come from standard input and weak ones are refused, roles
// change and accounts are disabled, and a token is printed once and then works against the API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { horizon } from '../support/cli.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';

// On the PostgreSQL server when there is one (a child process opens it in a fraction of the time PGlite's data folder
// takes, and there are a dozen runs here); otherwise on a PGlite data folder, as a single-user setup runs.
describe('horizon users and horizon tokens', () => {
  let dir: string;
  let postgres: { url: string; drop(): Promise<void> } | undefined;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-accounts-cli-'));
    if (await postgresAvailable()) postgres = await freshPostgresDatabase();
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await postgres?.drop();
  });
  const run = (args: string[], input?: string) =>
    postgres ? horizon(args, { DATABASE_URL: postgres.url }, input) : horizon([...args, '--data', dir], {}, input);

  it('has no account until one is added, and refuses weak passwords and bad roles naming them', async () => {
    const empty = await run(['users', 'list', '--json']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual(JSON.parse(empty.stdout), { users: [] });
    const common = await run(['users', 'add', 'first@example.org', '--role', 'admin'], 'password1234\n');
    assert.equal(common.code, 2);
    assert.match(common.stderr, /too common/);
    const role = await run(['users', 'add', 'first@example.org', '--role', 'owner'], 'A long enough passphrase 1\n');
    assert.equal(role.code, 2);
    assert.match(role.stderr, /role: “owner” is not a role/);
  });

  it('adds, lists, changes the role of and disables accounts; makes, lists and revokes tokens', async () => {
    const added = await run(
      ['users', 'add', 'First@Example.org', '--role', 'admin', '--name', 'First Admin'],
      'A long enough passphrase 1\n',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added first@example.org \(admin, u_/);
    assert.ok(
      !added.stdout.includes('passphrase') && !added.stderr.includes('passphrase'),
      'the password is not echoed',
    );
    const again = await run(['users', 'add', 'first@example.org', '--role', 'editor'], 'Another long passphrase 2\n');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already/);

    const created = await run([
      'tokens',
      'create',
      'first@example.org',
      '--scopes',
      'drafts:write,admin',
      '--name',
      'ci',
      '--json',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const token = JSON.parse(created.stdout) as {
      token: string;
      details: { id: string; scopes: string[]; status: string };
    };
    assert.match(token.token, /^hzn_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(token.details.scopes, ['drafts:write', 'admin']);
    const listed = JSON.parse((await run(['tokens', 'list', 'first@example.org', '--json'])).stdout) as {
      tokens: { id: string }[];
    };
    assert.equal(listed.tokens.length, 1);
    assert.ok(!JSON.stringify(listed).includes(token.token.slice(4)), 'tokens are never listed');
    const revoked = await run(['tokens', 'revoke', token.details.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Revoked ${token.details.id} \\(ci\\)`));
    const demoted = await run(['users', 'set-role', 'first@example.org', 'editor']);
    assert.equal(demoted.code, 0, demoted.stderr);
    const scope = await run(['tokens', 'create', 'first@example.org', '--scopes', 'admin']);
    assert.equal(scope.code, 2, 'an editor holds no admin scope');
    assert.match(scope.stderr, /scopes\.0/);
    assert.equal((await run(['users', 'disable', 'first@example.org'])).code, 0);
    const users = JSON.parse((await run(['users', 'list', '--json'])).stdout) as {
      users: { email: string; name: string; role: string; disabled_at: string | null }[];
    };
    assert.equal(users.users.length, 1);
    assert.equal(users.users[0]?.name, 'First Admin');
    assert.equal(users.users[0]?.role, 'editor');
    assert.ok(users.users[0]?.disabled_at);
    const unknown = await run(['users', 'disable', 'nobody@example.org']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /nobody@example.org/);
  });
});
