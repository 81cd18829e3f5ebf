/**
 * `{{path}}` templates over an event, for Slack messages and raw HTTP bodies. A path is
 * dot-separated (`properties.plan`, `context.page.url`); `{{.}}` is the whole event.
 * `renderText` inserts values as text; `renderJson` inserts each as JSON (strings quoted),
 * so a JSON template stays valid whatever the event holds.
 */
export function lookup(value: unknown, path: string): unknown {
  if (path === '.' || path === '') return value;
  let node = value;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}/g;

export function renderText(template: string, scope: unknown): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const value = lookup(scope, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

export function renderJson(template: string, scope: unknown): string {
  return template.replace(PLACEHOLDER, (_, path: string) => JSON.stringify(lookup(scope, path) ?? null));
}
