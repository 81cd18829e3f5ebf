/** The search box's grammar and the identity digest support search relies on. */
import { describe, expect, it } from 'vitest';
import { emailsOf, identityKey, parseIdentityQuery } from './identity.ts';
import { rebuildAsSent } from './received.ts';

describe('parseIdentityQuery', () => {
  it('tries every kind without a prefix, one kind with one', () => {
    expect(parseIdentityQuery(' ann@example.com ').map((i) => i.kind)).toEqual(['user', 'anon', 'email', 'message']);
    expect(parseIdentityQuery('email: Ann@Example.com')).toEqual([{ kind: 'email', value: 'Ann@Example.com' }]);
    expect(parseIdentityQuery('anon:a-1')).toEqual([{ kind: 'anon', value: 'a-1' }]);
    // Not a known prefix: the whole text is the identifier (user IDs may contain colons).
    expect(parseIdentityQuery('auth0:123')[0]).toEqual({ kind: 'user', value: 'auth0:123' });
    expect(parseIdentityQuery('   ')).toEqual([]);
  });
});

describe('identities', () => {
  it('finds e-mails in traits, context.traits and properties, lower-cased, once', () => {
    expect(emailsOf({ traits: { email: 'A@X.com' }, context: { traits: { email: 'a@x.com' } }, properties: { email: 'B@x.com' } })).toEqual(['a@x.com', 'b@x.com']);
    expect(emailsOf({ properties: { email: 42 } })).toEqual([]);
  });

  it('keys e-mails case-insensitively, other identifiers exactly, and per workspace', () => {
    const ws = '00000000-0000-4000-8000-000000000001';
    expect(identityKey(ws, { kind: 'email', value: 'Ann@X.com' })).toBe(identityKey(ws, { kind: 'email', value: 'ann@x.com' }));
    expect(identityKey(ws, { kind: 'user', value: 'Ann' })).not.toBe(identityKey(ws, { kind: 'user', value: 'ann' }));
    expect(identityKey(ws, { kind: 'user', value: 'x' })).not.toBe(identityKey(ws, { kind: 'anon', value: 'x' }));
    expect(identityKey(ws, { kind: 'user', value: 'x' })).not.toBe(identityKey('00000000-0000-4000-8000-000000000002', { kind: 'user', value: 'x' }));
  });

  it('keeps the digest of rows already stored: the first 8 bytes of SHA-256(workspace NUL kind NUL value), signed', () => {
    const ws = '00000000-0000-4000-8000-000000000001';
    expect(identityKey(ws, { kind: 'user', value: 'ann' })).toBe(-1152303213856284744n);
    expect(identityKey(ws, { kind: 'email', value: 'Ann@X.com' })).toBe(-5342671497287796201n);
  });

  it('rebuilds the message as sent from the stored payload and the difference', () => {
    const stored = { type: 'track', event: 'A', userId: '42', context: { library: 'x' }, receivedAt: 'r', timestamp: 't' };
    expect(rebuildAsSent(stored, { added: ['context', 'receivedAt'], was: { userId: 42, timestamp: '2026-01-01' } })).toEqual({ type: 'track', event: 'A', userId: 42, timestamp: '2026-01-01' });
  });
});
