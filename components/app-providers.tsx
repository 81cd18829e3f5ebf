'use client';

/**
 * Everything the client side of every page needs: Evergreen's server-rendered styles and
 * the tRPC client.
 *
 * Evergreen (through ui-box) collects the CSS of the components it renders; on the server
 * we flush what was collected into the HTML stream so the first paint is already styled.
 * In the browser ui-box injects its styles itself.
 */
import { extractStyles } from 'evergreen-ui';
import { useServerInsertedHTML } from 'next/navigation';
import type { ReactNode } from 'react';
import { TrpcProvider } from './trpc/provider.tsx';

function EvergreenStyles() {
  useServerInsertedHTML(() => {
    const { css } = extractStyles();
    if (!css) return null;
    return <style data-evergreen="ssr" dangerouslySetInnerHTML={{ __html: css }} />;
  });
  return null;
}

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <>
      <EvergreenStyles />
      <TrpcProvider>{children}</TrpcProvider>
    </>
  );
}
