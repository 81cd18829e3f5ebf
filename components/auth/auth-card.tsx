'use client';

/** The centred card used by sign-in, invite and "create workspace" screens. */
import { Heading, Pane, Paragraph } from 'evergreen-ui';
import { useSyncExternalStore, type ReactNode } from 'react';

const noSubscription = () => () => undefined;
import { Brand } from '../shell/brand.tsx';

export function AuthCard({ title, description, children, footer }: { title: string; description?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  // Marks the form as interactive once React has hydrated it (browser tests wait for this).
  const isReady = useSyncExternalStore(noSubscription, () => true, () => false);
  return (
    <Pane data-ready={isReady ? 'true' : 'false'} minHeight="100vh" display="flex" flexDirection="column" alignItems="center" paddingX={16} paddingTop="12vh" paddingBottom={48}>
      <Pane marginBottom={28}>
        <Brand size="large" />
      </Pane>
      <Pane width="100%" maxWidth={420} background="white" borderRadius={10} border="1px solid #E6E8F0" elevation={1} padding={32}>
        <Heading is="h1" size={700} marginBottom={description ? 8 : 24}>
          {title}
        </Heading>
        {description && (
          <Paragraph color="muted" marginBottom={24}>
            {description}
          </Paragraph>
        )}
        {children}
      </Pane>
      {footer && (
        <Pane marginTop={20} maxWidth={420} textAlign="center">
          {footer}
        </Pane>
      )}
    </Pane>
  );
}
