'use client';

/**
 * The source's Debugger tab: its latest events as they arrive, filtered by type, name or
 * user, each opening to its full JSON and routing; before the first event, how to send one.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, FilterRemoveIcon, Pane, Text } from 'evergreen-ui';
import { useEffect, useMemo, useState } from 'react';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination, TEventFilter, TSource } from '../trpc/types.ts';
import { DebuggerFilters, hasFilters, NO_FILTERS, type TFilterDraft } from './debugger-filters.tsx';
import { EventTable } from './event-table.tsx';
import { FirstEventGuide } from './first-event-guide.tsx';
import { LiveControl } from './live-status.tsx';
import { useEventStream } from './use-event-stream.ts';

function toFilter(sourceId: string, draft: TFilterDraft): TEventFilter {
  const name = draft.name.trim();
  const user = draft.user.trim();
  return { sourceId, ...(draft.type ? { type: draft.type } : {}), ...(name ? { name } : {}), ...(user ? { user } : {}) };
}

export function SourceDebugger({ source, publicUrl }: { source: TSource; publicUrl: string }) {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const [draft, setDraft] = useState<TFilterDraft>(NO_FILTERS);
  const [applied, setApplied] = useState<TFilterDraft>(NO_FILTERS);
  const [isPaused, setIsPaused] = useState(false);
  // Typed filters apply once typing pauses; the type select and "Clear filters" apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setApplied(draft), 350);
    return () => clearTimeout(timer);
  }, [draft]);
  const onFiltersChange = (next: TFilterDraft) => {
    setDraft(next);
    if (next.type !== draft.type || !hasFilters(next)) setApplied(next);
  };

  const stream = useEventStream({ workspaceId: workspace.id, filter: toFilter(source.id, applied), isPaused });
  const destinationList = useQuery(trpc.destinations.list.queryOptions({ workspaceId: workspace.id, sourceId: source.id }));
  const destinations = useMemo(() => new Map<string, TDestination>((destinationList.data ?? []).map((d) => [d.id, d])), [destinationList.data]);
  const isFiltered = hasFilters(applied);

  return (
    <Pane display="flex" flexDirection="column" gap={16} data-testid="source-debugger">
      <Pane display="flex" alignItems="center" justifyContent="space-between" gap={16} flexWrap="wrap">
        <DebuggerFilters draft={draft} onChange={onFiltersChange} />
        <LiveControl isPaused={isPaused} pollError={stream.pollError} onToggle={() => setIsPaused(!isPaused)} />
      </Pane>
      {!source.enabled && stream.events.length > 0 && (
        <Alert intent="warning" title="This source is disabled">
          <Text size={300}>New events sent with its keys are rejected until it is enabled again under Overview → Settings.</Text>
        </Alert>
      )}
      {stream.status === 'loading' ? (
        <Loading label="Loading events…" />
      ) : stream.status === 'error' ? (
        <QueryError error={stream.error} onRetry={stream.retry} />
      ) : stream.events.length > 0 ? (
        <EventTable stream={stream} destinations={destinations} />
      ) : isFiltered ? (
        <Empty
          icon={<FilterRemoveIcon color="#8f95b2" />}
          title="No events match these filters"
          description={isPaused ? 'The stream is paused. Resume it to see matching events as they arrive.' : 'Still listening: matching events appear here as they arrive.'}
          action={<Button onClick={() => onFiltersChange(NO_FILTERS)}>Clear filters</Button>}
        />
      ) : (
        <FirstEventGuide source={source} publicUrl={publicUrl} isListening={!isPaused} />
      )}
    </Pane>
  );
}
