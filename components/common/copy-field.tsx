'use client';

/**
 * A secret or key in a monospace box with a Copy button. Long values wrap instead of
 * overflowing; when the clipboard is unavailable the value is selected for Ctrl+C.
 */
import { Button, DuplicateIcon, Pane, TickIcon, toaster } from 'evergreen-ui';
import { useRef, useState } from 'react';

export async function copyText(text: string, element?: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (element) {
      const range = document.createRange();
      range.selectNodeContents(element);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}

export function CopyField({ value, label = 'Copy', testId, isMuted }: { value: string; label?: string; testId?: string; isMuted?: boolean }) {
  const codeRef = useRef<HTMLElement>(null);
  const [isCopied, setIsCopied] = useState(false);

  async function onCopy() {
    if (await copyText(value, codeRef.current)) {
      setIsCopied(true);
      toaster.success('Copied to the clipboard', { duration: 2 });
      setTimeout(() => setIsCopied(false), 2000);
    } else {
      toaster.notify('The value is selected: press Ctrl+C (⌘C) to copy it.', { duration: 4 });
    }
  }

  return (
    <Pane display="flex" alignItems="stretch" gap={8} minWidth={0}>
      <Pane
        flex={1}
        minWidth={0}
        display="flex"
        alignItems="center"
        paddingX={12}
        paddingY={6}
        borderRadius={4}
        border="1px solid #d8dae5"
        background={isMuted ? '#F4F5F9' : '#FAFBFF'}
      >
        <code
          ref={codeRef}
          data-testid={testId}
          style={{ fontSize: 13, color: isMuted ? '#8f95b2' : '#101840', wordBreak: 'break-all', userSelect: 'all' }}
        >
          {value}
        </code>
      </Pane>
      <Button type="button" iconBefore={isCopied ? TickIcon : DuplicateIcon} onClick={onCopy} flexShrink={0}>
        {isCopied ? 'Copied' : label}
      </Button>
    </Pane>
  );
}
