'use client';

/** Extra request headers as name/value rows. Values are secret: stored ones show masked and stay unless replaced. */
import { Button, IconButton, Pane, PlusIcon, Text, TextInput, TrashIcon } from 'evergreen-ui';
import type { ChangeEvent } from 'react';
import type { TFieldErrors } from '../trpc/errors.ts';
import { headerError, isStoredHeader, newHeaderRow, type THeaderRow } from './destination-draft.ts';

export function HeadersEditor({ rows, onChange, errors, isDisabled }: { rows: THeaderRow[]; onChange: (rows: THeaderRow[]) => void; errors: TFieldErrors; isDisabled?: boolean }) {
  const update = (id: string, patch: Partial<THeaderRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  const groupError = errors['settings.headers'];
  return (
    <Pane marginBottom={24} data-testid="headers-editor">
      <Text is="label" display="block" fontWeight={500} marginBottom={4}>
        Extra headers <Text color="muted" size={300}>(optional)</Text>
      </Text>
      <Text is="p" size={300} color="muted" marginTop={0} marginBottom={8}>
        Sent with every request, e.g. an Authorization header. Values are stored encrypted and shown masked; leave a stored value empty to keep it.
      </Text>
      {rows.map((row, index) => {
        const error = headerError(errors, row);
        const isStored = isStoredHeader(row);
        return (
          <Pane key={row.id} marginBottom={8}>
            <Pane display="flex" gap={8} alignItems="center">
              <TextInput
                width="38%"
                placeholder="Header name, e.g. Authorization"
                aria-label={`Header ${index + 1} name`}
                value={row.name}
                disabled={isDisabled}
                isInvalid={Boolean(error)}
                onChange={(e: ChangeEvent<HTMLInputElement>) => update(row.id, { name: e.target.value })}
              />
              <TextInput
                flex={1}
                type="password"
                autoComplete="off"
                placeholder={isStored ? `${row.maskedValue ?? '••••'} (unchanged; type to replace)` : 'Value'}
                aria-label={`Header ${index + 1} value`}
                value={row.value}
                disabled={isDisabled}
                isInvalid={Boolean(error)}
                onChange={(e: ChangeEvent<HTMLInputElement>) => update(row.id, { value: e.target.value })}
              />
              <IconButton type="button" icon={TrashIcon} appearance="minimal" aria-label={`Remove header ${row.name || index + 1}`} disabled={isDisabled} onClick={() => onChange(rows.filter((r) => r.id !== row.id))} />
            </Pane>
            {error && (
              <Text size={300} color="danger" display="block" marginTop={4} role="alert">
                {row.name.trim() ? `${row.name.trim()} ${error}` : `Header ${error}`}
              </Text>
            )}
          </Pane>
        );
      })}
      {groupError && (
        <Text size={300} color="danger" display="block" marginBottom={8} role="alert">
          Headers: {groupError}
        </Text>
      )}
      <Button type="button" size="small" iconBefore={PlusIcon} disabled={isDisabled || rows.length >= 20} onClick={() => onChange([...rows, newHeaderRow()])}>
        Add header
      </Button>
    </Pane>
  );
}
