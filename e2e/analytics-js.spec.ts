/**
 * Journey: a marketing site on another origin installs analytics.js (@segment/analytics-next,
 * its unmodified standalone build) with Segment's snippet, changing only where the library
 * and its settings come from: the script from the site itself, the CDN (`_cdn`, which serves
 * `/v1/projects/{writeKey}/settings`) pointed at Switchyard. The settings point analytics.js
 * at Switchyard's tracking API; its page and track calls cross origins (CORS) and arrive.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Request } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { callTrpc, signIn, workspaceIdOf } from './journeys.ts';

const require = createRequire(import.meta.url);
const STANDALONE = path.join(path.dirname(require.resolve('@segment/analytics-next/package.json')), 'dist/umd/standalone.js');

/** Segment's analytics.js snippet (5.2), with the script's host and `_cdn` changed. */
function snippet({ scriptBase, cdn, writeKey, runId }: { scriptBase: string; cdn: string; writeKey: string; runId: string }): string {
  const q = JSON.stringify;
  return `!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src=${q(scriptBase)}+"/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey=${q(writeKey)};analytics._cdn=${q(cdn)};analytics.SNIPPET_VERSION="5.2.1";
  analytics.load(${q(writeKey)});
  analytics.page("Pricing", { runId: ${q(runId)} });
  }}();`;
}

/** The customer's own site: one page with the snippet, and analytics.js served from its own origin. */
async function startSite(options: { cdn: string; writeKey: string; runId: string }) {
  let base = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/pricing') {
      const html = `<!doctype html><html><head><title>Acme pricing</title><script>${snippet({ ...options, scriptBase: base })}</script></head>
        <body><h1>Pricing</h1><button onclick='analytics.track("Plan Selected", { plan: "pro", seats: 3, runId: ${JSON.stringify(options.runId)} })'>Choose Pro</button></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (req.url === `/analytics.js/v1/${options.writeKey}/analytics.min.js`) {
      res.writeHead(200, { 'content-type': 'application/javascript' }).end(readFileSync(STANDALONE));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin: base, url: `${base}/pricing`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface TSourceView {
  id: string;
  name: string;
  writeKeys: Array<{ key: string; revokedAt: string | null }>;
}

interface TEventView {
  messageId: string;
  type: string;
  name: string | null;
  anonymousId: string | null;
  payload: { properties?: Record<string, unknown>; context?: { library?: { name?: string }; page?: { url?: string } } };
}

test('analytics.js on another site sends page and track calls that arrive in Switchyard', async ({ page, browser, admin, baseURL }) => {
  if (!baseURL) throw new Error('baseURL is not configured');
  const switchyard = new URL(baseURL).origin;
  const runId = `ajs-${Date.now().toString(36)}`;

  // The write key of the demo workspace's "Website" source, as an admin sees it.
  await signIn(page, admin);
  const workspaceId = await workspaceIdOf(page);
  const sources = (await callTrpc(page, 'sources.list', { workspaceId }, 'query')).data as TSourceView[];
  const website = sources.find((s) => s.name === 'Website');
  const writeKey = website?.writeKeys.find((k) => !k.revokedAt)?.key;
  if (!website || !writeKey) throw new Error('the demo workspace has no "Website" source with an active write key');

  const site = await startSite({ cdn: switchyard, writeKey, runId });
  const visitor = await (await browser.newContext()).newPage();
  try {
    const toSwitchyard: Request[] = [];
    visitor.on('request', (request) => {
      if (request.url().startsWith(`${switchyard}/`)) toSwitchyard.push(request);
    });
    const answered = (suffix: string) => visitor.waitForResponse((r) => r.url() === `${switchyard}/v1/${suffix}` && r.request().method() === 'POST', { timeout: 20_000 });
    const settingsAnswered = visitor.waitForResponse(`${switchyard}/v1/projects/${writeKey}/settings`, { timeout: 20_000 });
    const pageAnswered = answered('p');

    await visitor.goto(site.url);
    const settings = await settingsAnswered;
    expect(settings.status()).toBe(200);
    const pageCall = await pageAnswered;
    const trackAnswered = answered('t');
    await visitor.getByRole('button', { name: 'Choose Pro' }).click();
    const trackCall = await trackAnswered;

    // Both calls crossed origins: the browser sent the site's Origin and accepted the CORS answer.
    for (const response of [settings, pageCall, trackCall]) {
      expect((await response.request().allHeaders()).origin).toBe(site.origin);
      expect(response.headers()['access-control-allow-origin']).toBe('*');
    }
    for (const response of [pageCall, trackCall]) expect({ status: response.status(), body: await response.json() }).toMatchObject({ status: 200, body: { success: true, accepted: 1 } });
    const sentPage = pageCall.request().postDataJSON() as { messageId: string; anonymousId: string };
    const sentTrack = trackCall.request().postDataJSON() as { messageId: string; anonymousId: string };
    expect(sentTrack.anonymousId).toBe(sentPage.anonymousId);
    // Nothing analytics.js asked of Switchyard was refused (no missing endpoint, bundle or header).
    const failures = await Promise.all(toSwitchyard.map(async (r) => ({ url: r.url(), status: (await r.response())?.status() ?? 0 })));
    expect(failures.filter((f) => f.status === 0 || f.status >= 400)).toEqual([]);

    // The product shows both events for this visitor, as analytics.js sent them.
    const list = await callTrpc(page, 'events.list', { workspaceId, sourceId: website.id, anonymousId: sentPage.anonymousId }, 'query');
    const events = (list.data as { data: TEventView[] }).data;
    expect(events.map((e) => e.messageId).sort()).toEqual([sentPage.messageId, sentTrack.messageId].sort());
    const stored = (messageId: string) => events.find((e) => e.messageId === messageId);
    expect(stored(sentPage.messageId)).toMatchObject({ type: 'page', name: 'Pricing', payload: { properties: { runId }, context: { library: { name: 'analytics.js' }, page: { url: site.url } } } });
    expect(stored(sentTrack.messageId)).toMatchObject({ type: 'track', name: 'Plan Selected', payload: { properties: { plan: 'pro', seats: 3, runId }, context: { library: { name: 'analytics.js' } } } });
  } finally {
    await visitor.context().close();
    await site.close();
  }
});
