'use client';

import { ChevronDownIcon, ChevronRightIcon, Pane, Text } from 'evergreen-ui';
import { useState } from 'react';
import { formatDateTime } from '../common/format.ts';
import type { TWriteKey } from '../trpc/types.ts';

/** Revoked keys, folded away: kept so people can recognise an old key when an app starts failing. */
export function RevokedKeys({ keys }: { keys: TWriteKey[] }) {
  const [isOpen, setIsOpen] = useState(false);
  const Chevron = isOpen ? ChevronDownIcon : ChevronRightIcon;
  return (
    <Pane marginTop={16} borderTop="1px solid #EDEFF5" paddingTop={12}>
      <Pane is="button" type="button" onClick={() => setIsOpen(!isOpen)} display="flex" alignItems="center" gap={6} background="none" border="none" padding={0} cursor="pointer" aria-expanded={isOpen}>
        <Chevron size={12} color="muted" />
        <Text size={300} color="muted">
          Revoked keys ({keys.length})
        </Text>
      </Pane>
      {isOpen && (
        <Pane marginTop={8} display="flex" flexDirection="column" gap={6} data-testid="revoked-keys">
          {keys.map((key) => (
            <Pane key={key.id} display="flex" gap={16} alignItems="center">
              <code style={{ fontSize: 12, color: '#8f95b2', textDecoration: 'line-through', wordBreak: 'break-all' }}>{key.key}</code>
              <Text size={300} color="muted" flexShrink={0}>
                revoked {key.revokedAt ? formatDateTime(key.revokedAt) : ''}
              </Text>
            </Pane>
          ))}
        </Pane>
      )}
    </Pane>
  );
}
