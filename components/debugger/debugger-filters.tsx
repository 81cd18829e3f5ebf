'use client';

/** The debugger's filters: event type, exact event/page name, exact user (userId or anonymousId). */
import { Button, CrossIcon, FilterIcon, Pane, Select, TextInput } from 'evergreen-ui';
import type { ChangeEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import type { TEventType } from '../trpc/types.ts';

export const EVENT_TYPES: TEventType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

export interface TFilterDraft {
  type: TEventType | '';
  name: string;
  user: string;
}

/** Names the select for screen readers (Evergreen puts aria-* props on its wrapper, not the select). */
const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

export const NO_FILTERS: TFilterDraft = { type: '', name: '', user: '' };

export function hasFilters(draft: TFilterDraft): boolean {
  return Boolean(draft.type || draft.name.trim() || draft.user.trim());
}

export function DebuggerFilters({ draft, onChange }: { draft: TFilterDraft; onChange: (next: TFilterDraft) => void }) {
  const fieldId = useFieldId();
  const set = (patch: Partial<TFilterDraft>) => onChange({ ...draft, ...patch });
  return (
    <Pane display="flex" alignItems="center" gap={8} flexWrap="wrap" flex="1 1 480px" minWidth={0} data-testid="debugger-filters">
      <FilterIcon color="muted" size={14} marginRight={4} />
      <label htmlFor={fieldId('type')} style={VISUALLY_HIDDEN}>
        Event type
      </label>
      <Select
        id={fieldId('type')}
        width={140}
        flex="none"
        value={draft.type}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => set({ type: EVENT_TYPES.find((t) => t === e.target.value) ?? '' })}
      >
        <option value="">All types</option>
        {EVENT_TYPES.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </Select>
      <TextInput
        id={fieldId('name')}
        aria-label="Event or page name"
        placeholder="Event or page name"
        width="auto"
        flex="1 1 150px"
        maxWidth={220}
        value={draft.name}
        maxLength={512}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ name: e.target.value })}
      />
      <TextInput
        id={fieldId('user')}
        aria-label="User ID or anonymous ID"
        placeholder="userId or anonymousId"
        width="auto"
        flex="1 1 170px"
        maxWidth={240}
        value={draft.user}
        maxLength={512}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ user: e.target.value })}
      />
      {hasFilters(draft) && (
        <Button appearance="minimal" iconBefore={CrossIcon} onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </Button>
      )}
    </Pane>
  );
}
