import { redirect } from 'next/navigation';
import { currentUser, myWorkspaces, workspacePath } from './_server/page-session.ts';

/** The front door: the first workspace's overview for a signed-in person, sign-in for everyone else. */
export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect('/signin');
  const [first] = await myWorkspaces();
  redirect(first ? workspacePath(first.slug) : '/workspaces/new');
}
