import { WorkspaceNotFound } from '@/components/common/not-found.tsx';

export default function NotFoundInWorkspace() {
  return <WorkspaceNotFound />;
}
