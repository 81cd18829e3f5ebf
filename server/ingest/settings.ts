/**
 * The settings analytics.js fetches from its CDN at `/v1/projects/{writeKey}/settings`.
 * Pointing analytics.js's cdnURL at Switchyard makes it send to Switchyard's /v1 paths.
 */
import type { SourceConfigCache } from './source-config.ts';

export async function projectSettings(sources: SourceConfigCache, writeKey: string, publicUrl: string) {
  const source = await sources.lookup(writeKey);
  if (!source) return null;
  const url = new URL(publicUrl);
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost: `${url.host}/v1`,
        protocol: url.protocol.replace(':', ''),
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
      },
    },
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}
