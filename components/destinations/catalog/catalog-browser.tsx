'use client';

/** "Add destination": the catalog, searchable and by category, each tool with its logo and what it takes. */
import { Badge, Card, Heading, Pane, Paragraph, SearchInput, Tab, Tablist, Text } from 'evergreen-ui';
import Image from 'next/image';
import { useMemo, useState, type ChangeEvent } from 'react';
import type { TDestinationTypeInfo } from '../../trpc/types.ts';

const CATEGORY_LABELS: Record<string, string> = {
  analytics: 'Analytics',
  'product analytics': 'Product analytics',
  'marketing automation': 'Marketing automation',
  messaging: 'Messaging',
  raw: 'Webhooks and raw HTTP',
};

export function TypeLogo({ info, size = 40 }: { info: { logo: string; name: string }; size?: number }) {
  return <Image src={info.logo} alt={`${info.name} logo`} width={size} height={size} unoptimized style={{ flexShrink: 0, borderRadius: size / 5 }} />;
}

export function CallBadges({ supports }: { supports: readonly string[] }) {
  return (
    <Pane display="flex" gap={4} flexWrap="wrap">
      {supports.map((call) => (
        <Badge key={call} color="neutral" textTransform="none">{call}</Badge>
      ))}
    </Pane>
  );
}

function matches(info: TDestinationTypeInfo, query: string): boolean {
  const text = `${info.name} ${info.description} ${info.category} ${info.type}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

export function CatalogBrowser({ types, onPick }: { types: TDestinationTypeInfo[]; onPick: (type: string) => void }) {
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const categories = useMemo(() => Object.keys(CATEGORY_LABELS).filter((c) => types.some((t) => t.category === c)), [types]);
  const shown = types.filter((t) => (category === null || t.category === category) && matches(t, query));
  return (
    <Pane data-testid="catalog">
      <Pane display="flex" alignItems="center" gap={16} flexWrap="wrap" marginBottom={20}>
        <SearchInput placeholder="Search tools, e.g. Amplitude or analytics" value={query} onChange={(e: ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} width={340} aria-label="Search the catalog" autoFocus />
        <Tablist>
          <Tab isSelected={category === null} onSelect={() => setCategory(null)}>All</Tab>
          {categories.map((c) => (
            <Tab key={c} isSelected={category === c} onSelect={() => setCategory(c)}>{CATEGORY_LABELS[c] ?? c}</Tab>
          ))}
        </Tablist>
      </Pane>
      {shown.length === 0 ? (
        <Pane background="white" border="1px dashed #C1C4D6" borderRadius={8} padding={32} textAlign="center" data-testid="catalog-empty">
          <Heading size={500} marginBottom={8}>{`No tool matches “${query}”`}</Heading>
          <Paragraph color="muted">
            For a tool that is not in the catalog, use <b>Raw HTTP</b> (a request you template) or a <b>Webhook</b> (each event as JSON).
          </Paragraph>
        </Pane>
      ) : (
        <Pane display="grid" gridTemplateColumns="repeat(auto-fill, minmax(280px, 1fr))" gap={16}>
          {shown.map((info) => (
            <Card
              key={info.type}
              is="button"
              type="button"
              onClick={() => onPick(info.type)}
              background="white"
              border="1px solid #E6E8F0"
              elevation={0}
              hoverElevation={1}
              padding={20}
              display="flex"
              flexDirection="column"
              alignItems="stretch"
              gap={12}
              textAlign="left"
              cursor="pointer"
              aria-label={info.name}
              data-testid={`catalog-type-${info.type}`}
            >
              <Pane display="flex" alignItems="center" gap={12}>
                <TypeLogo info={info} />
                <Pane minWidth={0}>
                  <Heading size={500}>{info.name}</Heading>
                  <Text size={300} color="muted">{CATEGORY_LABELS[info.category] ?? info.category}</Text>
                </Pane>
              </Pane>
              <Paragraph size={300} color="#474d66" flex={1}>{info.description}</Paragraph>
              <CallBadges supports={info.supports} />
            </Card>
          ))}
        </Pane>
      )}
    </Pane>
  );
}
