'use client';

/** The search box in every workspace page's top bar: any customer identifier → the event search. */
import { SearchInput } from 'evergreen-ui';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useWorkspace } from '../shell/workspace-context.tsx';

export function GlobalSearch() {
  const router = useRouter();
  const params = useSearchParams();
  const { href } = useWorkspace();
  const [value, setValue] = useState(params.get('q') ?? '');

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const q = value.trim();
    router.push(q ? `${href('events')}?q=${encodeURIComponent(q)}` : href('events'));
  }

  return (
    <form role="search" onSubmit={onSubmit} style={{ flex: '0 1 420px', marginLeft: 24 }}>
      <SearchInput
        width="100%"
        height={36}
        value={value}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setValue(e.target.value)}
        placeholder="Find a customer: user ID, anonymous ID, e-mail or message ID"
        aria-label="Search events by customer"
        data-testid="global-search"
      />
    </form>
  );
}
