// horizon users (add, list, set-role, disable) and horizon tokens (create, list, revoke): the accounts of the
// editorial workspace from the command line, over accounts/accounts.service.ts as the pages and the API are. There is
// no default account: the first admin is made with `horizon users add EMAIL --role admin`. Passwords come from
// standard input when it is not a terminal (one line), else are asked for twice without echo; they are never an
// argument (arguments show in `ps` and shell history).
import {
  addAccount,
  createToken,
  disableAccount,
  listAccounts,
  listTokens,
  revokeToken,
  setRole,
} from '../../accounts/accounts.service.ts';
import { presentAccount, presentToken } from '../../accounts/accounts.presenters.ts';
import { ROLES, SCOPES } from '../../accounts/types.ts';
import { errors } from '../../errors.ts';
import { DATA_HELP, DATA_OPTIONS, parse, table, withDatabase, type Command, type Io } from '../io.ts';

/** Reads all of standard input (a password piped in), without its final line break. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for a line on the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(text);
        }
        if (ch === '\u0003') {
          done();
          return reject(errors.usage('Cancelled.'));
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** The new account's password: piped in, or asked for twice on a terminal. */
async function newPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  const first = await askHidden('Password (at least 12 characters): ');
  const second = await askHidden('Password again: ');
  if (first !== second) throw errors.usage('The two passwords differ: nothing was changed.');
  return first;
}

const ROLE_LIST = ROLES.join('|');

const USERS_USAGE = `Usage: horizon users add EMAIL --role ${ROLE_LIST} [--name NAME] [--data DIR]
       horizon users list [--json] [--data DIR]
       horizon users set-role EMAIL ${ROLE_LIST} [--data DIR]
       horizon users disable EMAIL [--data DIR]

Accounts of the editorial workspace (reading needs none). Editors draft change sets, reviewers approve and publish
others' change sets, admins manage users, sources and settings. There is no default account: make the first admin
with "horizon users add you@example.org --role admin".

add reads the password from standard input when it is not a terminal (echo "…" | horizon users add …), and asks for
it twice otherwise. At least 12 characters; common passwords are refused. set-role and disable end every session of
the account; a disabled account's tokens stop working.

  --role ROLE    the new account's role: ${ROLES.join(', ')}
  --name NAME    the name shown on pages and in the audit log (default: the e-mail's local part)
  --json         list as JSON
${DATA_HELP}`;

function printAccount(io: Io, verb: string, a: { email: string; role: string; id: string }) {
  io.out(`${verb} ${a.email} (${a.role}, ${a.id}).`);
}

export const usersCommand: Command = {
  name: 'users',
  usage: USERS_USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { ...DATA_OPTIONS, role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
      3,
    );
    if (values.help || positionals.length === 0) return (io.out(this.usage), values.help ? 0 : 2);
    const [action, email, extra] = positionals;
    switch (action) {
      case 'add': {
        if (!email) throw errors.usage('users add needs an e-mail address.');
        if (!values.role) throw errors.usage(`users add needs --role ${ROLE_LIST}.`);
        const role = values.role;
        const password = await newPassword();
        const a = await withDatabase(values, 'horizon users', (db) =>
          addAccount(db, { email, role, name: values.name, password }),
        );
        printAccount(io, 'Added', a);
        return 0;
      }
      case 'list': {
        const list = await withDatabase(values, 'horizon users', (db) => listAccounts(db));
        if (values.json) io.out(JSON.stringify({ users: list.map(presentAccount) }, null, 2));
        else if (list.length === 0) io.out('No accounts yet: horizon users add EMAIL --role admin makes the first.');
        else {
          io.out(
            table(
              ['email', 'name', 'role', 'status', 'id'],
              list.map((a) => [a.email, a.name, a.role, a.disabledAt ? 'disabled' : 'active', a.id]),
            ),
          );
        }
        return 0;
      }
      case 'set-role': {
        if (!email || !extra) throw errors.usage(`users set-role needs an e-mail address and a role (${ROLE_LIST}).`);
        const a = await withDatabase(values, 'horizon users', (db) => setRole(db, email, extra));
        printAccount(io, 'Role set:', a);
        return 0;
      }
      case 'disable': {
        if (!email) throw errors.usage('users disable needs an e-mail address.');
        const a = await withDatabase(values, 'horizon users', (db) => disableAccount(db, email));
        printAccount(io, 'Disabled', a);
        return 0;
      }
      case undefined:
      default:
        throw errors.usage(`Unknown users action "${action ?? ''}": add, list, set-role or disable.`);
    }
  },
};

const TOKENS_USAGE = `Usage: horizon tokens create EMAIL --scopes SCOPE,… [--name NAME] [--expires DAYS] [--json] [--data DIR]
       horizon tokens list EMAIL [--json] [--data DIR]
       horizon tokens revoke ID [--data DIR]

API tokens of an account (Authorization: Bearer hzn_…). create prints the token once: only its hash is kept. A
token's scopes are cut to its account's role whenever it is used.

  --scopes LIST  comma-separated, of ${SCOPES.join(', ')} (ones the account's role grants)
  --name NAME    what the token is for (shown on the account page)
  --expires DAYS the token stops working after DAYS days (default: never, until revoked)
  --json         print as JSON
${DATA_HELP}`;

export const tokensCommand: Command = {
  name: 'tokens',
  usage: TOKENS_USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        ...DATA_OPTIONS,
        scopes: { type: 'string' },
        name: { type: 'string' },
        expires: { type: 'string' },
        json: { type: 'boolean' },
      },
      2,
    );
    if (values.help || positionals.length === 0) return (io.out(this.usage), values.help ? 0 : 2);
    const [action, subject] = positionals;
    switch (action) {
      case 'create': {
        if (!subject) throw errors.usage('tokens create needs an e-mail address.');
        if (!values.scopes) throw errors.usage(`tokens create needs --scopes (${SCOPES.join(', ')}).`);
        const expires = values.expires;
        if (expires !== undefined && !/^\d+$/.test(expires)) {
          throw errors.usage({ key: 'cli.wholeNumber', params: { option: 'expires', value: expires } });
        }
        const created = await withDatabase(values, 'horizon tokens', (db) =>
          createToken(db, subject, {
            name: values.name,
            scopes: (values.scopes ?? '').split(','),
            expiresInDays: expires === undefined ? undefined : Number(expires),
          }),
        );
        if (values.json)
          io.out(JSON.stringify({ token: created.token, details: presentToken(created.record) }, null, 2));
        else {
          io.out(created.token);
          io.err(
            `Token ${created.record.id} (${created.record.scopes.join(', ')}) for ${subject}: copy it now, it is not shown again.`,
          );
        }
        return 0;
      }
      case 'list': {
        if (!subject) throw errors.usage('tokens list needs an e-mail address.');
        const list = await withDatabase(values, 'horizon tokens', (db) => listTokens(db, subject));
        if (values.json) io.out(JSON.stringify({ tokens: list.map(presentToken) }, null, 2));
        else if (list.length === 0) io.out(`No tokens for ${subject}.`);
        else {
          io.out(
            table(
              ['id', 'name', 'scopes', 'status', 'created', 'last used', 'expires'],
              list.map((t) => {
                const p = presentToken(t);
                return [
                  p.id,
                  p.name,
                  p.scopes.join(','),
                  p.status,
                  p.created_at,
                  p.last_used_at ?? 'never',
                  p.expires_at ?? 'never',
                ];
              }),
            ),
          );
        }
        return 0;
      }
      case 'revoke': {
        if (!subject) throw errors.usage('tokens revoke needs a token id.');
        const t = await withDatabase(values, 'horizon tokens', (db) => revokeToken(db, subject));
        io.out(`Revoked ${t.id} (${t.name}).`);
        return 0;
      }
      case undefined:
      default:
        throw errors.usage(`Unknown tokens action "${action ?? ''}": create, list or revoke.`);
    }
  },
};
