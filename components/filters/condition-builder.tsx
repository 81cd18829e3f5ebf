'use client';

/** The visual condition builder: rows of field / operator / value, joined by "all" or "any". It writes an expression. */
import { AddIcon, Button, IconButton, Pane, Select, Text, TextInput, TrashIcon } from 'evergreen-ui';
import type { ChangeEvent, CSSProperties } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { BUILDER_OPS, EMPTY_ROW, isUnary, type TBuilderOp, type TBuilderRow, type TBuilderShape } from './builder-model.ts';

/** A label only screen readers (and tests) read: Evergreen's Select puts aria-label on its wrapper, not on the <select>. */
const HIDDEN: CSSProperties = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

/** Fields people filter on most, offered as suggestions (any dot path can be typed). */
const SUGGESTED_PATHS = ['event', 'type', 'userId', 'anonymousId', 'properties.', 'traits.email', 'context.page.url', 'context.page.path', 'context.userAgent', 'context.library.name'];

export function ConditionBuilder({ shape, onChange, isDisabled }: { shape: TBuilderShape; onChange: (shape: TBuilderShape) => void; isDisabled?: boolean }) {
  const fieldId = useFieldId();
  const setRow = (index: number, patch: Partial<TBuilderRow>) => onChange({ ...shape, rows: shape.rows.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
  const listId = fieldId('paths');
  return (
    <Pane display="flex" flexDirection="column" gap={8} data-testid="condition-builder">
      <datalist id={listId}>
        {SUGGESTED_PATHS.map((path) => <option key={path} value={path} />)}
      </datalist>
      {shape.rows.length > 1 && (
        <Pane display="flex" alignItems="center" gap={8}>
          <Text size={300}>Match</Text>
          <label htmlFor={fieldId('join')} style={HIDDEN}>Match all or any condition</label>
          <Select
            id={fieldId('join')}
            width={90}
            flex="none"
            value={shape.join}
            disabled={isDisabled}
            onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange({ ...shape, join: e.target.value as 'and' | 'or' })}
          >
            <option value="and">all</option>
            <option value="or">any</option>
          </Select>
          <Text size={300}>of these conditions</Text>
        </Pane>
      )}
      {shape.rows.length === 0 && <Text size={300} color="muted">No condition: the action applies to every event.</Text>}
      {shape.rows.map((row, index) => (
        <Pane key={index} display="flex" alignItems="center" gap={8} data-testid="condition-row">
          <Text size={300} width={36} color="muted" textAlign="right">{index === 0 ? 'If' : shape.join}</Text>
          <TextInput
            width={220}
            fontFamily="mono"
            value={row.path}
            list={listId}
            disabled={isDisabled}
            placeholder="properties.plan"
            aria-label={`Field ${index + 1}`}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setRow(index, { path: e.target.value })}
          />
          <label htmlFor={fieldId(`op-${index}`)} style={HIDDEN}>{`Operator ${index + 1}`}</label>
          <Select
            id={fieldId(`op-${index}`)}
            width={210}
            flex="none"
            value={row.op}
            disabled={isDisabled}
            onChange={(e: ChangeEvent<HTMLSelectElement>) => setRow(index, { op: e.target.value as TBuilderOp })}
          >
            {BUILDER_OPS.map(({ op, label }) => <option key={op} value={op}>{label}</option>)}
          </Select>
          {isUnary(row.op) ? (
            <Pane width={220} />
          ) : (
            <TextInput
              width={220}
              value={row.value}
              disabled={isDisabled}
              placeholder={row.op === 'in' ? 'pro, enterprise' : row.op === 'match' ? '*@example.com' : 'value'}
              aria-label={`Value ${index + 1}`}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setRow(index, { value: e.target.value })}
            />
          )}
          <IconButton
            icon={TrashIcon}
            appearance="minimal"
            disabled={isDisabled}
            aria-label={`Remove condition ${index + 1}`}
            onClick={() => onChange({ ...shape, rows: shape.rows.filter((_, i) => i !== index) })}
          />
        </Pane>
      ))}
      <Pane>
        <Button type="button" size="small" iconBefore={AddIcon} disabled={isDisabled} onClick={() => onChange({ ...shape, rows: [...shape.rows, { ...EMPTY_ROW }] })}>
          Add condition
        </Button>
      </Pane>
      <Text size={300} color="muted">
        Values are compared as typed: 42 and true are a number and a boolean, anything else is text (write &quot;42&quot; for the text 42). Names with dots or spaces: escape them with \, as in properties.order\.id.
      </Text>
    </Pane>
  );
}
