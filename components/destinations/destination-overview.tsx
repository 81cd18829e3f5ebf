'use client';

/** Read-only view of a destination's settings: secrets masked, delivery tuning with its defaults. */
import { Badge, Pane, Text } from 'evergreen-ui';
import type { ReactNode } from 'react';
import { Card } from '../common/card.tsx';
import type { TDeliveryTuning, TDestination } from '../trpc/types.ts';
import { DELIVERY_FIELDS, formatDeliveryValue } from './delivery-fields.ts';
import { PartnerSettingsCard } from './partner-settings-card.tsx';
import { RotateSecret } from './rotate-secret.tsx';
import { webhookSettingsOf } from './webhook-view.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Pane display="flex" gap={24} paddingY={12} borderBottom="1px solid #EDEFF5" alignItems="baseline">
      <Text width={200} flexShrink={0} color="muted" size={300} fontWeight={500}>
        {label}
      </Text>
      <Pane flex={1} minWidth={0}>
        {children}
      </Pane>
    </Pane>
  );
}

function Mono({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <code data-testid={testId} style={{ fontSize: 13, wordBreak: 'break-all', color: '#101840' }}>
      {children}
    </code>
  );
}

function WebhookCard({ destination }: { destination: TDestination }) {
  const settings = webhookSettingsOf(destination);
  const headers = Object.entries(settings.headers);
  return (
      <Card title="Webhook" testId="destination-webhook">
        <Row label="URL">
          <Mono testId="destination-url">{settings.url}</Mono>
        </Row>
        <Row label="Extra headers">
          {headers.length === 0 ? (
            <Text color="muted">None</Text>
          ) : (
            headers.map(([name, masked]) => (
              <Pane key={name} data-testid="destination-header">
                <Mono>{`${name}: ${masked}`}</Mono>
              </Pane>
            ))
          )}
        </Row>
        <Row label="Signing secret">
          <Mono testId="signing-secret-hint">{settings.signingSecretHint}</Mono>
          <Text display="block" size={300} color="muted" marginTop={4}>
            Shown once when the destination was created or the secret rotated. Requests carry Standard Webhooks signature headers.
          </Text>
          <RotateSecret destination={destination} />
        </Row>
      </Card>
  );
}

export function DestinationOverview({ destination, defaults }: { destination: TDestination; defaults: TDeliveryTuning }) {
  return (
    <Pane display="flex" flexDirection="column" gap={20}>
      {destination.type === 'webhook' ? <WebhookCard destination={destination} /> : <PartnerSettingsCard destination={destination} />}
      <Card title="Delivery" description="How hard Switchyard pushes this destination and how long it keeps retrying." testId="destination-delivery">
        {DELIVERY_FIELDS.map((field) => {
          const value = destination.delivery[field.key];
          const isDefault = value === defaults[field.key];
          return (
            <Row key={field.key} label={field.label}>
              <Pane display="flex" alignItems="center" gap={8}>
                <Text data-testid={`delivery-${field.key}`}>{formatDeliveryValue(field, value)}</Text>
                {isDefault ? <Badge color="neutral">default</Badge> : <Badge color="blue">custom</Badge>}
              </Pane>
            </Row>
          );
        })}
      </Card>
    </Pane>
  );
}
