'use client';

import { Pane, Radio, Text } from 'evergreen-ui';
import { ROLE_DESCRIPTIONS } from '../common/roles.tsx';
import type { TRole } from '../shell/workspace-context.tsx';

const LABELS: Record<TRole, string> = { admin: 'Admin', editor: 'Editor', support: 'Support' };

/** Choosing a role, with what each one may do. */
export function RolePicker({ value, onChange, name = 'role' }: { value: TRole; onChange: (role: TRole) => void; name?: string }) {
  return (
    <Pane is="fieldset" border="none" padding={0} margin={0} marginBottom={24}>
      <Text is="legend" fontWeight={500} marginBottom={8} display="block" padding={0}>
        Role
      </Text>
      {(Object.keys(LABELS) as TRole[]).map((role) => (
        <Radio
          key={role}
          name={name}
          value={role}
          checked={value === role}
          onChange={() => onChange(role)}
          size={16}
          marginY={0}
          marginBottom={6}
          padding={10}
          borderRadius={6}
          border={`1px solid ${value === role ? '#3366FF' : '#E6E8F0'}`}
          background={value === role ? '#F3F6FF' : 'white'}
          label={
            <>
              <Text display="block" fontWeight={600} color="#101840">
                {LABELS[role]}
              </Text>
              <Text display="block" size={300} color="muted">
                {ROLE_DESCRIPTIONS[role]}
              </Text>
            </>
          }
        />
      ))}
    </Pane>
  );
}
