'use client';

/** The catalog of destination types (with settings schemas), fetched once per session. */
import { useQuery } from '@tanstack/react-query';
import { useWorkspace } from '../../shell/workspace-context.tsx';
import { useTRPC } from '../../trpc/provider.tsx';
import type { TDestinationTypeInfo } from '../../trpc/types.ts';

export function useDestinationTypes() {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  return useQuery({ ...trpc.destinations.types.queryOptions({ workspaceId: workspace.id }), staleTime: Infinity });
}

export function typeInfo(types: TDestinationTypeInfo[] | undefined, type: string): TDestinationTypeInfo | undefined {
  return types?.find((t) => t.type === type);
}
