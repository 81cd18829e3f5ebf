'use client';

import { Heading, Pane, Paragraph } from 'evergreen-ui';
import type { ReactNode } from 'react';

/** A white panel with a title, an optional one-line explanation and actions on the right. */
export function Card({
  title,
  description,
  actions,
  children,
  intent = 'none',
  testId,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  intent?: 'none' | 'danger';
  testId?: string;
}) {
  return (
    <Pane is="section" background="white" border={`1px solid ${intent === 'danger' ? '#EE9191' : '#E6E8F0'}`} borderRadius={8} data-testid={testId}>
      <Pane display="flex" alignItems="flex-start" justifyContent="space-between" gap={16} paddingX={24} paddingTop={20} paddingBottom={description ? 16 : 12}>
        <Pane minWidth={0}>
          <Heading is="h2" size={600} color={intent === 'danger' ? '#A73636' : undefined}>
            {title}
          </Heading>
          {description && (
            <Paragraph size={300} color="muted" marginTop={4} maxWidth={680}>
              {description}
            </Paragraph>
          )}
        </Pane>
        {actions && (
          <Pane display="flex" gap={8} flexShrink={0}>
            {actions}
          </Pane>
        )}
      </Pane>
      <Pane paddingX={24} paddingBottom={24}>
        {children}
      </Pane>
    </Pane>
  );
}
