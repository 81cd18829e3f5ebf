'use client';

/**
 * A block of code or JSON in monospace with a Copy button: in a title bar when the block
 * has a title (a file name, "Terminal"), else in its corner. Long lines wrap (commands) or
 * scroll (JSON); the copied text is exactly the text shown.
 */
import { Button, DuplicateIcon, Pane, Text, TickIcon, toaster } from 'evergreen-ui';
import { useRef, useState, type ReactNode } from 'react';
import { copyText } from './copy-field.tsx';

const TONES = {
  dark: { background: '#1D2238', bar: '#272D47', color: '#E6E8F0', key: '#9DB5FF', string: '#A3E6C5', literal: '#FFC98B' },
  light: { background: '#F9FAFC', bar: '#F4F5F9', color: '#101840', key: '#2952CC', string: '#317159', literal: '#996A13' },
};

const JSON_TOKEN = /("(?:\\u[0-9a-fA-F]{4}|\\[^u]|[^\\"])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Colours the keys, strings and literals of pretty-printed JSON without changing its text. */
function highlightJson(text: string, tone: (typeof TONES)['dark']): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(JSON_TOKEN)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    const color = match[2] ? tone.key : match[1] ? tone.string : tone.literal;
    parts.push(<span key={at} style={{ color }}>{match[1] ?? match[0]}</span>);
    if (match[2]) parts.push(match[2]);
    last = at + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export function CodeBlock({
  code,
  title,
  testId,
  tone = 'dark',
  isJson = false,
  maxHeight,
  label = 'Copy',
}: {
  code: string;
  title?: string;
  testId?: string;
  tone?: keyof typeof TONES;
  isJson?: boolean;
  maxHeight?: number;
  label?: string;
}) {
  const preRef = useRef<HTMLPreElement>(null);
  const [isCopied, setIsCopied] = useState(false);
  const colors = TONES[tone];

  async function onCopy() {
    if (await copyText(code, preRef.current)) {
      setIsCopied(true);
      toaster.success('Copied to the clipboard', { duration: 2 });
      setTimeout(() => setIsCopied(false), 2000);
    } else {
      toaster.notify('The text is selected: press Ctrl+C (⌘C) to copy it.', { duration: 4 });
    }
  }

  const copyButton = (
    <Button
      type="button"
      size="small"
      iconBefore={isCopied ? TickIcon : DuplicateIcon}
      onClick={onCopy}
      appearance={tone === 'dark' ? 'minimal' : 'default'}
      color={tone === 'dark' ? '#E6E8F0' : undefined}
      background={tone === 'dark' ? 'rgba(255,255,255,0.08)' : undefined}
      {...(title ? {} : { position: 'absolute' as const, top: 10, right: 10 })}
    >
      {isCopied ? 'Copied' : label}
    </Button>
  );

  return (
    <Pane position="relative" borderRadius={6} overflow="hidden" background={colors.background} border={tone === 'light' ? '1px solid #E6E8F0' : undefined} minWidth={0}>
      {title && (
        <Pane display="flex" alignItems="center" justifyContent="space-between" gap={12} paddingLeft={16} paddingRight={8} paddingY={6} background={colors.bar}>
          <Text size={300} fontFamily="mono" color={tone === 'dark' ? '#A7ADC7' : 'muted'}>
            {title}
          </Text>
          {copyButton}
        </Pane>
      )}
      <pre
        ref={preRef}
        data-testid={testId}
        style={{
          margin: 0,
          padding: title ? '14px 16px' : '14px 96px 14px 16px',
          fontSize: 12.5,
          lineHeight: 1.6,
          color: colors.color,
          whiteSpace: isJson ? 'pre' : 'pre-wrap',
          overflowWrap: isJson ? 'normal' : 'anywhere',
          overflow: 'auto',
          maxHeight,
        }}
      >
        {isJson ? highlightJson(code, colors) : code}
      </pre>
      {!title && copyButton}
    </Pane>
  );
}
