'use client';

/** Loading, error and empty states shared by every screen. */
import { Alert, Button, EmptyState, Pane, SearchIcon, Spinner, Text } from 'evergreen-ui';
import type { ReactNode } from 'react';
import { errorMessage } from '../trpc/errors.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Pane display="flex" alignItems="center" justifyContent="center" gap={12} paddingY={64} data-testid="loading">
      <Spinner size={24} />
      <Text color="muted">{label}</Text>
    </Pane>
  );
}

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert intent="danger" title="This could not be loaded" marginY={16}>
      <Text size={300}>{errorMessage(error)}</Text>
      {onRetry && (
        <Pane marginTop={8}>
          <Button size="small" onClick={onRetry}>
            Try again
          </Button>
        </Pane>
      )}
    </Alert>
  );
}

export function Empty({
  title,
  description,
  action,
  icon = <SearchIcon color="#C1C4D6" />,
  iconBgColor = '#EDEFF5',
}: {
  title: string;
  description: string;
  action?: ReactNode;
  icon?: ReactNode;
  iconBgColor?: string;
}) {
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={8} background="white" overflow="hidden" data-testid="empty-state">
      <EmptyState
        background="light"
        title={title}
        orientation="horizontal"
        icon={icon}
        iconBgColor={iconBgColor}
        description={description}
        primaryCta={action ? <>{action}</> : undefined}
      />
    </Pane>
  );
}
