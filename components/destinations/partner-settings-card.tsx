'use client';

/** A partner destination's settings, read-only: each field under its label, secrets masked. */
import { Pane, Text } from 'evergreen-ui';
import { useMemo } from 'react';
import { Card } from '../common/card.tsx';
import type { TDestination } from '../trpc/types.ts';
import { TypeLogo } from './catalog/catalog-browser.tsx';
import { formFields, type TSettingsSchema } from './catalog/schema-form.ts';
import { typeInfo, useDestinationTypes } from './catalog/use-destination-types.ts';

export function PartnerSettingsCard({ destination }: { destination: TDestination }) {
  const types = useDestinationTypes();
  const info = typeInfo(types.data?.data, destination.type);
  const fields = useMemo(() => (info ? formFields(info.settingsSchema as TSettingsSchema) : []), [info]);
  return (
    <Card title={`${destination.typeLabel} settings`} description={info?.description} testId="destination-settings" actions={<TypeLogo info={{ logo: destination.typeLogo, name: destination.typeLabel }} size={32} />}>
      {fields.map((field) => {
        const value = destination.settings[field.name];
        const shown = field.kind === 'choice' ? field.choices.find((c) => c.value === value)?.label ?? String(value ?? '') : typeof value === 'string' ? value : '';
        return (
          <Pane key={field.name} display="flex" gap={24} paddingY={12} borderBottom="1px solid #EDEFF5" alignItems="baseline" data-testid={`setting-row-${field.name}`}>
            <Text width={200} flexShrink={0} color="muted" size={300} fontWeight={500}>{field.label}</Text>
            <Pane flex={1} minWidth={0}>
              {shown ? (
                <code style={{ fontSize: 13, wordBreak: 'break-all', color: '#101840', whiteSpace: 'pre-wrap' }}>{shown}</code>
              ) : (
                <Text color="muted">Not set</Text>
              )}
              {field.kind === 'secret' && shown && <Text display="block" size={300} color="muted" marginTop={4}>Stored encrypted; only its last characters are shown.</Text>}
            </Pane>
          </Pane>
        );
      })}
    </Card>
  );
}
