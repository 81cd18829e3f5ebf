import { describe, expect, it } from 'vitest';
import { generateKeySpec, mask, open, parseKeys, seal } from './secret-box.ts';

describe('secret box', () => {
  const [oldKey] = parseKeys(generateKeySpec().replace(/^k\d+/, 'old'));
  const [newKey] = parseKeys(generateKeySpec().replace(/^k\d+/, 'new'));

  it('round-trips, with a fresh nonce each time and the key id in the envelope', () => {
    const a = seal('whsec_secret', [newKey]);
    const b = seal('whsec_secret', [newKey]);
    expect(a).not.toBe(b);
    expect(a.split('.').slice(0, 2)).toEqual(['v1', 'new']);
    expect(a).not.toContain('whsec_secret');
    expect(open(a, [newKey])).toBe('whsec_secret');
  });

  it('decrypts with an older key after rotation, and encrypts with the first key', () => {
    const before = seal('value', [oldKey]);
    expect(open(before, [newKey, oldKey])).toBe('value');
    expect(seal('value', [newKey, oldKey]).split('.')[1]).toBe('new');
  });

  it('refuses tampered ciphertext, a swapped key id, and unknown keys', () => {
    const envelope = seal('value', [newKey]);
    const parts = envelope.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => open([...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.'), [newKey])).toThrow();
    expect(() => open(['v1', 'old', ...parts.slice(2)].join('.'), [{ id: 'old', key: newKey.key }])).toThrow();
    expect(() => open(envelope, [oldKey])).toThrow(/key "new"/);
  });

  it('masks to the last four characters at most', () => {
    expect(mask('Bearer abcdefgh1234')).toBe('••••1234');
    expect(mask('short')).toBe('••••');
  });
});
