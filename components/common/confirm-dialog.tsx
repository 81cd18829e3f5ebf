'use client';

/** A confirmation for destructive actions: says what will happen, names the thing, waits while it runs. */
import { Dialog, Paragraph } from 'evergreen-ui';
import type { ReactNode } from 'react';

export function ConfirmDialog({
  isShown,
  title,
  children,
  confirmLabel,
  isConfirming,
  onConfirm,
  onClose,
  intent = 'danger',
}: {
  isShown: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isConfirming?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  intent?: 'danger' | 'none';
}) {
  return (
    <Dialog
      isShown={isShown}
      title={title}
      intent={intent}
      confirmLabel={isConfirming ? `${confirmLabel}…` : confirmLabel}
      isConfirmLoading={isConfirming}
      onConfirm={onConfirm}
      onCloseComplete={onClose}
      onCancel={(close) => close()}
      shouldCloseOnOverlayClick={!isConfirming}
      width={520}
    >
      {typeof children === 'string' ? <Paragraph>{children}</Paragraph> : children}
    </Dialog>
  );
}
