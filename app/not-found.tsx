import type { Metadata } from 'next';
import { NotFoundCard } from '@/components/common/not-found.tsx';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return <NotFoundCard />;
}
