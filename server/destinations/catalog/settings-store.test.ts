/** How partner settings are split, kept and shown: the rules a person relies on when editing a destination. */
import { describe, expect, it } from 'vitest';
import { amplitude } from './amplitude/index.ts';
import { mixpanel } from './mixpanel/index.ts';

const store = amplitude.storage;

describe('partner settings store', () => {
  it('keeps secrets out of the plain settings and shows them masked', () => {
    const built = store.build({ apiKey: 'key-0123456789abcdef', region: 'eu' });
    expect(built.settings).toEqual({ region: 'eu', endpoint: 'https://api.eu.amplitude.com' });
    expect(built.secrets).toEqual({ apiKey: 'key-0123456789abcdef' });
    expect(store.view(built.settings, built.secrets)).toEqual({ region: 'eu', endpoint: 'https://api.eu.amplitude.com', apiKey: '••••cdef' });
    expect(store.resolve(built.settings, built.secrets)).toEqual({ apiKey: 'key-0123456789abcdef', region: 'eu', endpoint: 'https://api.eu.amplitude.com' });
  });

  it('keeps a stored secret when an edit leaves it out, empty or null, and replaces it when given', () => {
    const previous = store.build({ apiKey: 'key-old-00000000' });
    for (const patch of [{}, { apiKey: '' }, { apiKey: null }]) expect(store.build(patch, previous).secrets).toEqual({ apiKey: 'key-old-00000000' });
    expect(store.build({ apiKey: 'key-new-11111111' }, previous).secrets).toEqual({ apiKey: 'key-new-11111111' });
  });

  it('moves the endpoint with the region, keeps a custom endpoint otherwise', () => {
    const custom = store.build({ apiKey: 'k-123456789', endpoint: 'https://proxy.example.com/amp/' });
    expect(custom.settings.endpoint).toBe('https://proxy.example.com/amp');
    expect(store.build({ apiKey: 'k-2' }, custom).settings.endpoint).toBe('https://proxy.example.com/amp');
    expect(store.build({ region: 'eu' }, custom).settings.endpoint).toBe('https://api.eu.amplitude.com');
    expect(store.build({ region: 'eu', endpoint: 'http://10.0.0.5:8080' }, custom).settings.endpoint).toBe('http://10.0.0.5:8080');
  });

  it('lets an edit clear an optional setting', () => {
    const previous = mixpanel.storage.build({ projectToken: 't-123456789', projectId: '42' });
    expect(mixpanel.storage.build({ projectId: '' }, previous).settings.projectId).toBe('');
  });

  it('names each invalid field the way forms and the API show it', () => {
    expect(() => store.build({ region: 'mars', endpoint: 'ftp://x' })).toThrow(expect.objectContaining({
      code: 'BAD_REQUEST',
      issues: { 'settings.apiKey': 'API key is required', 'settings.region': expect.any(String), 'settings.endpoint': 'must be an http:// or https:// URL' },
    }));
    expect(() => store.build('not an object')).toThrow(expect.objectContaining({ issues: { settings: 'must be an object' } }));
  });
});
