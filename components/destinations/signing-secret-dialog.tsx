'use client';

/**
 * The webhook signing secret, shown exactly once: right after the destination is created,
 * or after a rotation (then with how long the previous secret keeps signing).
 */
import { Alert, Dialog, Paragraph, Strong } from 'evergreen-ui';
import { useState } from 'react';
import { CopyField } from '../common/copy-field.tsx';
import { formatDateTime } from '../common/format.ts';

export function SigningSecretDialog({ destinationName, secret, previousValidUntil, onDone }: { destinationName: string; secret: string; previousValidUntil?: Date; onDone: () => void }) {
  const [isShown, setIsShown] = useState(true);
  return (
    <Dialog
      isShown={isShown}
      title={previousValidUntil ? 'Copy the new signing secret' : 'Copy the signing secret'}
      confirmLabel="I have copied it"
      hasCancel={false}
      hasClose={false}
      shouldCloseOnOverlayClick={false}
      shouldCloseOnEscapePress={false}
      onConfirm={() => setIsShown(false)}
      onCloseComplete={onDone}
      width={620}
    >
      <Paragraph marginBottom={16}>
        Switchyard signs every request to <Strong>{destinationName}</Strong> with this secret (Standard Webhooks headers <code>webhook-id</code>,{' '}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>). Your endpoint uses it to check that a request really comes from Switchyard.
      </Paragraph>
      <CopyField value={secret} testId="signing-secret" />
      {previousValidUntil && (
        <Alert intent="none" title="The previous secret keeps working for 24 hours" marginTop={16} data-testid="previous-secret-until">
          {`Until ${formatDateTime(previousValidUntil)}, every request carries two signatures, one per secret, so your endpoint accepts them with either. Deploy the new secret to your endpoint before then.`}
        </Alert>
      )}
      <Alert intent="warning" title="You won't see it again" marginTop={16}>
        Store it in your endpoint&apos;s configuration now. Afterwards Switchyard only shows its last four characters.
      </Alert>
    </Dialog>
  );
}
