'use client';

/**
 * Event search: every event of one customer (any identifier, or `email:` / `user:` / `anon:` /
 * `message:` to narrow), across all sources, newest first, in a time range, with one badge
 * per destination. A page at a time ("Show older events"). The overview's steps open it on
 * the events in one delivery state at one destination (`destinationId` and `state`).
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Badge, Button, Pane, SearchInput, Table, Text, TextInput } from 'evergreen-ui';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { formatDateTime, formatRelative } from '../common/format.ts';
import { PageHeader } from '../common/page-header.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDeliveryState, TSearchResult } from '../trpc/types.ts';
import { DeliveryBadge } from './delivery-badge.tsx';
import { RangePicker } from './range-picker.tsx';
import { isRange, rangeLabel, rangeMs, type TRangeValue } from './range.ts';

const PAGE = 50;

const STATE_WORDS: Record<TDeliveryState, string> = { delivered: 'Delivered', retrying: 'Retrying', pending: 'Pending', discarded: 'Discarded', archived: 'Archived', filtered: 'Filtered out', blocked: 'Blocked' };
const isDeliveryState = (value: string | null): value is TDeliveryState => value !== null && Object.hasOwn(STATE_WORDS, value);

function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function Customer({ row }: { row: TSearchResult }) {
  const main = row.userId ?? row.anonymousId ?? '—';
  const second = [row.email, row.userId && row.anonymousId ? `anon ${row.anonymousId}` : null].filter(Boolean).join(' · ');
  return (
    <Pane minWidth={0}>
      <Text size={300} fontWeight={500} display="block" overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" fontFamily="mono">
        {main}
      </Text>
      {second && (
        <Text size={300} color="muted" display="block" overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap">
          {second}
        </Text>
      )}
    </Pane>
  );
}

/** Keyed by the query so a search from the top bar starts fresh (its own "now", its own draft). */
export function SearchScreen() {
  const params = useSearchParams();
  return <Search key={`${params.get('q') ?? ''}|${params.get('destinationId') ?? ''}|${params.get('state') ?? ''}`} />;
}

function Search() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { workspace, href } = useWorkspace();
  const q = params.get('q') ?? '';
  const rangeParam = params.get('range');
  const range = isRange(rangeParam) ? rangeParam : rangeParam === 'custom' ? 'custom' : '7d';
  const sourceId = params.get('sourceId') ?? undefined;
  // From an overview step: the events in one delivery state at one destination.
  const destinationId = params.get('destinationId') ?? undefined;
  const stateParam = params.get('state');
  const state = destinationId && isDeliveryState(stateParam) ? stateParam : undefined;
  const [draft, setDraft] = useState(q);
  // "Now" for the range is fixed when a search runs, so the pages of one search agree.
  const [now, setNow] = useState(() => new Date());
  const [customFrom, setCustomFrom] = useState(() => params.get('from') ?? toLocalInput(new Date(now.getTime() - 86_400_000)));
  const [customTo, setCustomTo] = useState(() => params.get('to') ?? toLocalInput(now));

  const appliedFrom = params.get('from');
  const appliedTo = params.get('to');
  const bounds =
    range === 'custom'
      ? { from: new Date(appliedFrom ?? now.getTime() - 86_400_000), to: appliedTo ? new Date(appliedTo) : now }
      : { from: new Date(now.getTime() - rangeMs(range)), to: now };

  function navigate(next: Record<string, string | null>) {
    const search = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(next)) {
      if (value === null || value === '') search.delete(key);
      else search.set(key, value);
    }
    setNow(new Date());
    router.replace(`${pathname}?${search.toString()}`);
  }

  const input = { workspaceId: workspace.id, q: q || undefined, sourceId, destinationId, state, from: bounds.from, to: bounds.to, limit: PAGE };
  const results = useInfiniteQuery(
    trpc.traces.search.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const rows = results.data?.pages.flatMap((page) => page.data) ?? [];
  const destinationName = rows.flatMap((row) => row.deliveries).find((d) => d.destinationId === destinationId)?.destinationName ?? 'one destination';

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    navigate({ q: draft.trim() || null });
  }

  return (
    <>
      <PageHeader
        title="Event search"
        description="Type a customer’s user ID, anonymous ID, e-mail or a message ID to see every event they sent, across all sources, and what each destination did with it."
      />
      <Pane background="white" border="1px solid #E6E8F0" borderRadius={8} padding={16} marginBottom={16} display="flex" flexWrap="wrap" gap={12} alignItems="center">
        <form onSubmit={onSubmit} style={{ flex: '1 1 360px', display: 'flex', gap: 8 }}>
          <SearchInput
            width="100%"
            height={40}
            value={draft}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft(e.target.value)}
            placeholder="ann@example.com, user-42, email:ann@example.com, message:…"
            aria-label="Customer identifier"
            data-testid="search-query"
          />
          <Button type="submit" appearance="primary" height={40}>Search</Button>
        </form>
        <RangePicker<TRangeValue | 'custom'> value={range} hasCustom onChange={(value) => navigate({ range: value })} />
        {range === 'custom' && (
          <Pane display="flex" gap={8} alignItems="center" width="100%">
            <Text size={300} color="muted">From</Text>
            <TextInput type="datetime-local" width={220} value={customFrom} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setCustomFrom(e.target.value)} aria-label="From" />
            <Text size={300} color="muted">to</Text>
            <TextInput type="datetime-local" width={220} value={customTo} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setCustomTo(e.target.value)} aria-label="To" />
            <Button onClick={() => navigate({ from: customFrom, to: customTo })}>Apply</Button>
          </Pane>
        )}
        {sourceId && (
          <Pane width="100%" display="flex" alignItems="center" gap={8}>
            <Badge color="blue" textTransform="none">One source only</Badge>
            <Button size="small" appearance="minimal" onClick={() => navigate({ sourceId: null })}>Show all sources</Button>
          </Pane>
        )}
        {destinationId && (
          <Pane width="100%" display="flex" alignItems="center" gap={8} data-testid="search-destination-filter">
            {/* As written: a destination's name is the user's own spelling (Evergreen's Badge upper-cases by default). */}
            <Badge color="blue" textTransform="none" data-testid="search-destination-chip">{state ? `${STATE_WORDS[state]} at ${destinationName}` : `Events of ${destinationName}`}</Badge>
            <Button size="small" appearance="minimal" onClick={() => navigate({ destinationId: null, state: null })}>Show all events</Button>
          </Pane>
        )}
      </Pane>

      {results.isPending ? (
        <Loading label="Searching…" />
      ) : results.isError ? (
        <QueryError error={results.error} onRetry={() => results.refetch()} />
      ) : rows.length === 0 ? (
        <Empty
          title={q ? `No events for “${q}”` : state ? `No events ${STATE_WORDS[state].toLowerCase()} there` : 'No events in this range'}
          description={
            q
              ? `Nothing matched as a user ID, anonymous ID, e-mail or message ID in the ${range === 'custom' ? 'chosen range' : rangeLabel(range).toLowerCase()}. Try a longer range, or check the spelling (e-mails match in any case; IDs must match exactly).`
              : state
                ? `No event is ${STATE_WORDS[state].toLowerCase()} at this destination now for the ${range === 'custom' ? 'chosen range' : rangeLabel(range).toLowerCase()} (a retried or re-sent event shows under its state now).`
                : `No event arrived in the ${range === 'custom' ? 'chosen range' : rangeLabel(range).toLowerCase()}.`
          }
        />
      ) : (
        <>
          <Text size={300} color="muted" display="block" marginBottom={8} data-testid="search-count">
            {rows.length}{results.hasNextPage ? '+' : ''} event{rows.length === 1 ? '' : 's'}, newest first
          </Text>
          <Table background="white" border="1px solid #E6E8F0" borderRadius={8} data-testid="search-results">
            <Table.Head height={40}>
              <Table.TextHeaderCell flexBasis={150} flexShrink={0} flexGrow={0}>Received</Table.TextHeaderCell>
              <Table.TextHeaderCell flexBasis={200} flexShrink={0} flexGrow={0}>Event</Table.TextHeaderCell>
              <Table.TextHeaderCell flexBasis={260} flexShrink={0} flexGrow={0}>Customer</Table.TextHeaderCell>
              <Table.TextHeaderCell>Destinations</Table.TextHeaderCell>
            </Table.Head>
            <Table.Body>
              {rows.map((row) => (
                <Link key={row.id} href={href('events', row.id)} style={{ textDecoration: 'none', color: 'inherit', display: 'block' }} data-testid="search-row">
                  <Table.Row height="auto" minHeight={56} paddingY={8} isSelectable>
                    <Table.Cell flexBasis={150} flexShrink={0} flexGrow={0}>
                      <Pane>
                        <Text size={300} display="block" title={formatDateTime(row.receivedAt, { seconds: true })}>{formatRelative(row.receivedAt)}</Text>
                        <Text size={300} color="muted">{row.sourceName}</Text>
                      </Pane>
                    </Table.Cell>
                    <Table.Cell flexBasis={200} flexShrink={0} flexGrow={0}>
                      <Pane display="flex" alignItems="center" gap={8} minWidth={0}>
                        <Badge color="neutral" flexShrink={0}>{row.type}</Badge>
                        <Text size={300} fontWeight={500} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap">{row.name ?? ''}</Text>
                      </Pane>
                    </Table.Cell>
                    <Table.Cell flexBasis={260} flexShrink={0} flexGrow={0}>
                      <Customer row={row} />
                    </Table.Cell>
                    <Table.Cell>
                      <Pane display="flex" flexWrap="wrap" gap={6}>
                        {row.deliveries.length === 0 ? <Text size={300} color="muted">No destination</Text> : row.deliveries.map((d) => <DeliveryBadge key={d.destinationId} delivery={d} />)}
                      </Pane>
                    </Table.Cell>
                  </Table.Row>
                </Link>
              ))}
            </Table.Body>
          </Table>
          {results.hasNextPage && (
            <Pane display="flex" justifyContent="center" marginTop={16}>
              <Button onClick={() => results.fetchNextPage()} isLoading={results.isFetchingNextPage}>Show older events</Button>
            </Pane>
          )}
        </>
      )}
    </>
  );
}
