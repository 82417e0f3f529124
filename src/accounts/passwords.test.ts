import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('are hashed with scrypt, its parameters in the hash, a new salt each time, and verified', async () => {
    const a = await hashPassword('A long enough passphrase 1');
    const b = await hashPassword('A long enough passphrase 1');
    assert.match(a, /^scrypt\$65536\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b, 'salted');
    assert.equal(await verifyPassword('A long enough passphrase 1', a), true);
    assert.equal(await verifyPassword('A long enough passphrase 2', a), false);
    assert.equal(await verifyPassword('A long enough passphrase 1', 'plain text'), false);
    assert.equal(await verifyPassword('x', 'scrypt$1099511627776$8$1$AAAA$AAAA'), false, 'absurd parameters refused');
  });

  it('must be long enough, not common, not the e-mail address', () => {
    assert.equal(passwordProblem('short one')?.key, 'error.password.short');
    assert.equal(passwordProblem('password1234')?.key, 'error.password.common');
    assert.equal(passwordProblem('QWERTYUIOP123')?.key, 'error.password.common', 'whatever the case');
    assert.equal(passwordProblem('aaaaaaaaaaaaaaaa')?.key, 'error.password.common');
    assert.equal(passwordProblem('editor.name@example.org', 'editor.name@example.org')?.key, 'error.password.common');
    assert.equal(passwordProblem('x'.repeat(1025))?.key, 'error.password.long');
    assert.equal(passwordProblem('A long enough passphrase 1'), undefined);
  });
});
