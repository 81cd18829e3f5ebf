/** Who is making a change: a signed-in person or an API token, with the role they act in. */
import type { TRole } from '../auth/roles.ts';

export interface TActor {
  type: 'user' | 'token' | 'system';
  id: string | null;
  label: string;
  role: TRole | null;
  ip: string | null;
}
