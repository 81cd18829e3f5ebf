'use client';

import { Pane, Text } from 'evergreen-ui';
import Link from 'next/link';

/** The product mark and name. */
export function Brand({ href = '/', size = 'small' }: { href?: string; size?: 'small' | 'large' }) {
  const mark = size === 'large' ? 36 : 28;
  return (
    <Link href={href} style={{ textDecoration: 'none', display: 'flex', alignItems: 'center', gap: 10 }} aria-label="Switchyard home">
      {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG needs no optimisation */}
      <img src="/logo.svg" alt="" width={mark} height={mark} />
      <Text size={size === 'large' ? 600 : 500} fontWeight={700} color="#101840" letterSpacing="-0.01em">
        Switchyard
      </Text>
    </Link>
  );
}

export function BrandDivider() {
  return <Pane width={1} height={24} background="#E6E8F0" marginX={16} />;
}
