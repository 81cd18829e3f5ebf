'use client';

/** A new privacy request in two steps: what and who, then a confirmation that says what will happen. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dialog, ListItem, Pane, Paragraph, SelectField, Text, TextareaField, UnorderedList, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TRegulationType, TSubjectType } from '../trpc/types.ts';
import { consequences, SUBJECT_LABELS, TYPE_LABELS } from './regulation-words.ts';

const MAX_SUBJECTS = 5000;

/** One subject per line or separated by commas (IDs may contain spaces); empty entries and repeats dropped. */
export function parseSubjects(text: string): string[] {
  return [...new Set(text.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean))];
}

export function NewRequestDialog({ isShown, onClose, onCreated }: { isShown: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const [type, setType] = useState<TRegulationType>('SUPPRESS_WITH_DELETE');
  const [subjectType, setSubjectType] = useState<TSubjectType>('EMAIL');
  const [text, setText] = useState('');
  const [isConfirming, setIsConfirming] = useState(false);
  // E-mails are compared lower-case (the server stores them so): show them as they will be kept.
  const subjects = parseSubjects(subjectType === 'EMAIL' ? text.toLowerCase() : text);
  const tooMany = subjects.length > MAX_SUBJECTS;
  const create = useMutation(
    trpc.privacy.createRegulation.mutationOptions({
      onSuccess: async (regulation) => {
        toaster.success(`${TYPE_LABELS[regulation.regulationType]}: request created`, { description: 'Follow each target below.' });
        await queryClient.invalidateQueries(trpc.privacy.regulations.queryFilter());
        await queryClient.invalidateQueries(trpc.privacy.suppressions.queryFilter());
        onCreated(regulation.id);
      },
      onError: (error) => toaster.danger('The request could not be created', { description: errorMessage(error) }),
    }),
  );

  return (
    <Dialog
      isShown={isShown}
      title={isConfirming ? `${TYPE_LABELS[type]}: please confirm` : 'New privacy request'}
      width={640}
      onCloseComplete={() => {
        create.reset();
        setText('');
        setIsConfirming(false);
        onClose();
      }}
      footer={({ close }) => (
        <Pane display="flex" gap={8} justifyContent="flex-end" width="100%">
          {isConfirming ? (
            <>
              <Button onClick={() => setIsConfirming(false)}>Back</Button>
              <Button
                appearance="primary"
                intent={type === 'UNSUPPRESS' || type === 'SUPPRESS_ONLY' ? 'none' : 'danger'}
                isLoading={create.isPending}
                onClick={() => create.mutate({ workspaceId: workspace.id, regulationType: type, subjectType, subjectIds: subjects }, { onSuccess: () => close() })}
              >
                {TYPE_LABELS[type]} ({subjects.length.toLocaleString('en')})
              </Button>
            </>
          ) : (
            <>
              <Button onClick={close}>Cancel</Button>
              <Button appearance="primary" disabled={subjects.length === 0 || tooMany} onClick={() => setIsConfirming(true)}>
                Review
              </Button>
            </>
          )}
        </Pane>
      )}
    >
      {isConfirming ? (
        <>
          <Paragraph marginBottom={8}>What will happen:</Paragraph>
          <UnorderedList data-testid="request-consequences">
            {consequences(type, subjects.length, subjectType).map((line) => (
              <ListItem key={line}>{line}</ListItem>
            ))}
          </UnorderedList>
          <Text size={300} color="muted" display="block" marginTop={12}>
            {SUBJECT_LABELS[subjectType]}s: {subjects.slice(0, 5).join(', ')}
            {subjects.length > 5 ? ` and ${subjects.length - 5} more` : ''}
          </Text>
        </>
      ) : (
        <>
          <Pane display="flex" gap={16}>
            <SelectField id={fieldId('type')} label="Request" flex={3} value={type} onChange={(e: ChangeEvent<HTMLSelectElement>) => setType(e.target.value as TRegulationType)}>
              {(Object.keys(TYPE_LABELS) as TRegulationType[]).map((t) => (
                <option key={t} value={t}>{TYPE_LABELS[t]}</option>
              ))}
            </SelectField>
            <SelectField id={fieldId('subject')} label="Subjects are" flex={2} value={subjectType} onChange={(e: ChangeEvent<HTMLSelectElement>) => setSubjectType(e.target.value as TSubjectType)}>
              {(Object.keys(SUBJECT_LABELS) as TSubjectType[]).map((t) => (
                <option key={t} value={t}>{SUBJECT_LABELS[t]}s</option>
              ))}
            </SelectField>
          </Pane>
          <TextareaField
            id={fieldId('subjects')}
            label={`${SUBJECT_LABELS[subjectType]}s`}
            description={`Type or paste up to ${MAX_SUBJECTS.toLocaleString('en')}, one per line or separated by commas.`}
            placeholder={subjectType === 'EMAIL' ? 'grace@example.com' : subjectType === 'USER_ID' ? 'user-1234' : '6f1c2a9e-…'}
            value={text}
            onChange={(e: ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)}
            inputHeight={140}
            isInvalid={tooMany}
            validationMessage={tooMany ? `${subjects.length.toLocaleString('en')} subjects: split them into requests of at most ${MAX_SUBJECTS.toLocaleString('en')}` : undefined}
          />
          <Text size={300} color="muted">{subjects.length === 0 ? 'No subjects yet.' : `${subjects.length.toLocaleString('en')} subject${subjects.length === 1 ? '' : 's'}.`}</Text>
          {create.error && <Alert intent="danger" marginTop={12} title={errorMessage(create.error)} />}
        </>
      )}
    </Dialog>
  );
}
