'use client';

import { Heading, Pane, Paragraph } from 'evergreen-ui';
import Link from 'next/link';
import type { ReactNode } from 'react';

export interface TCrumb {
  label: string;
  href: string;
}

/** Title, one line of explanation and the page's main actions, with optional breadcrumbs. */
export function PageHeader({ title, description, actions, crumbs }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; crumbs?: TCrumb[] }) {
  return (
    <Pane marginBottom={24}>
      {crumbs && crumbs.length > 0 && (
        <Pane display="flex" gap={6} marginBottom={8} fontSize={12} color="#696f8c">
          {crumbs.map((crumb) => (
            <Pane key={crumb.href} display="flex" gap={6}>
              <Link href={crumb.href} style={{ color: '#2952CC', textDecoration: 'none' }}>
                {crumb.label}
              </Link>
              <span aria-hidden>/</span>
            </Pane>
          ))}
        </Pane>
      )}
      <Pane display="flex" alignItems="flex-start" justifyContent="space-between" gap={16} flexWrap="wrap">
        <Pane minWidth={0} flex="1 1 320px">
          <Heading is="h1" size={800} marginBottom={description ? 6 : 0} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Heading>
          {description && (
            <Paragraph size={400} color="muted" maxWidth={720}>
              {description}
            </Paragraph>
          )}
        </Pane>
        {actions && (
          <Pane display="flex" gap={8} alignItems="center" flexShrink={0}>
            {actions}
          </Pane>
        )}
      </Pane>
    </Pane>
  );
}
