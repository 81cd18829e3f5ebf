'use client';

/**
 * Tracking plans: the list, and a new plan drafted from a source's real traffic (or pasted
 * as exported JSON), edited as JSON before it is created.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddIcon, Alert, Button, Pane, SelectField, Table, Text, Textarea, TextInputField, TickCircleIcon, toaster } from 'evergreen-ui';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent } from 'react';
import { Card } from '../common/card.tsx';
import { MONO_STYLE } from '../common/mono.ts';
import { PageHeader } from '../common/page-header.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';

function NewPlan({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const fieldId = useFieldId();
  const { workspace, href } = useWorkspace();
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));
  const [sourceId, setSourceId] = useState('');
  const [days, setDays] = useState('7');
  const [name, setName] = useState('');
  const [rules, setRules] = useState('{\n  "events": []\n}');
  const [basedOn, setBasedOn] = useState<number | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const chosen = sourceId || sources.data?.[0]?.id || '';
  const draft = useMutation({
    mutationFn: () => queryClient.fetchQuery(trpc.trackingPlans.draft.queryOptions({ workspaceId: workspace.id, sourceId: chosen, days: Number(days) || 7 })),
    onSuccess: (result) => {
      setName((current) => current || result.name);
      setRules(JSON.stringify(result.rules, null, 2));
      setBasedOn(result.basedOn);
    },
    onError: (error) => toaster.danger('No draft', { description: errorMessage(error) }),
  });
  const create = useMutation(
    trpc.trackingPlans.create.mutationOptions({
      onSuccess: async (plan) => {
        toaster.success(`Plan “${plan.name}” created`, { description: 'Connect a source to it to start checking events.' });
        await queryClient.invalidateQueries(trpc.trackingPlans.list.queryFilter());
        router.push(href('tracking-plans', plan.id));
      },
    }),
  );

  function submit() {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rules);
    } catch (error) {
      setParseError(`The rules are not valid JSON: ${(error as Error).message}`);
      return;
    }
    setParseError(null);
    // An exported plan ({ name, rules }) can be pasted whole.
    const isExport = typeof parsed === 'object' && parsed !== null && 'rules' in parsed;
    const body = isExport ? (parsed as { name?: string; rules: never }) : { rules: parsed as never };
    create.mutate({ workspaceId: workspace.id, name: name || body.name || '', rules: body.rules });
  }

  return (
    <Card title="New tracking plan" description="Draft the rules from what a source really sent, or paste a plan exported as JSON; edit them, then create the plan." testId="new-plan">
      <Pane>
        <Pane display="flex" gap={12} alignItems="flex-end" flexWrap="wrap">
          <SelectField id={fieldId('source')} label="Source" width={260} value={chosen} onChange={(e: ChangeEvent<HTMLSelectElement>) => setSourceId(e.target.value)} marginBottom={0}>
            {(sources.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </SelectField>
          <TextInputField id={fieldId('days')} label="Events of the last (days)" type="number" min={1} max={90} width={180} value={days} onChange={(e: ChangeEvent<HTMLInputElement>) => setDays(e.target.value)} marginBottom={0} />
          <Button type="button" onClick={() => draft.mutate()} isLoading={draft.isPending} disabled={!chosen}>Draft from traffic</Button>
        </Pane>
        {basedOn !== null && <Text display="block" marginTop={8} size={300} color="muted" data-testid="draft-based-on">{`Drafted from ${basedOn} event${basedOn === 1 ? '' : 's'}.`}</Text>}
        <TextInputField id={fieldId('name')} label="Name" marginTop={20} maxWidth={420} value={name} onChange={(e: ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
        <Text is="label" htmlFor={fieldId('rules')} display="block" fontWeight={500} marginBottom={6}>Rules (JSON Schema 2020-12 per event)</Text>
        <Textarea id={fieldId('rules')} style={MONO_STYLE} minHeight={220} value={rules} onChange={(e: ChangeEvent<HTMLTextAreaElement>) => setRules(e.target.value)} data-testid="plan-rules" />
        {(parseError || create.error) && (
          <Alert intent="danger" title="The plan could not be created" marginTop={12}>{parseError ?? errorMessage(create.error)}</Alert>
        )}
        <Pane display="flex" gap={8} marginTop={16}>
          <Button appearance="primary" onClick={submit} isLoading={create.isPending}>Create plan</Button>
          <Button appearance="minimal" onClick={onDone}>Cancel</Button>
        </Pane>
      </Pane>
    </Card>
  );
}

export function PlansScreen() {
  const trpc = useTRPC();
  const { workspace, canEdit, href } = useWorkspace();
  const [isCreating, setIsCreating] = useState(false);
  const plans = useQuery(trpc.trackingPlans.list.queryOptions({ workspaceId: workspace.id }));
  const newButton = canEdit && !isCreating ? <Button appearance="primary" iconBefore={AddIcon} onClick={() => setIsCreating(true)}>New plan</Button> : null;

  return (
    <>
      <PageHeader
        title="Tracking plans"
        description="What events your sources may send and what their properties look like. Events that break a plan are recorded as violations, and can be blocked or cleaned before delivery."
        actions={newButton}
      />
      <Pane display="flex" flexDirection="column" gap={20}>
        {isCreating && <NewPlan onDone={() => setIsCreating(false)} />}
        {plans.isPending ? (
          <Loading label="Loading plans…" />
        ) : plans.isError ? (
          <QueryError error={plans.error} onRetry={() => plans.refetch()} />
        ) : plans.data.data.length === 0 ? (
          !isCreating && <Empty title="No tracking plans yet" description="Draft one from the events a source already sends, then connect the source to it." icon={<TickCircleIcon color="#8F95B2" />} action={newButton} />
        ) : (
          <Table border="1px solid #E6E8F0" borderRadius={8} background="white">
            <Table.Head height={36}>
              <Table.TextHeaderCell flexGrow={2}>Plan</Table.TextHeaderCell>
              <Table.TextHeaderCell>Events</Table.TextHeaderCell>
              <Table.TextHeaderCell>Sources</Table.TextHeaderCell>
              <Table.TextHeaderCell>Version</Table.TextHeaderCell>
            </Table.Head>
            <Table.Body>
              {plans.data.data.map((plan) => (
                <Table.Row key={plan.id} height={52} data-testid="plan-row">
                  <Table.Cell flexGrow={2}>
                    <Link href={href('tracking-plans', plan.id)} style={{ color: '#2952CC', fontWeight: 600, textDecoration: 'none' }}>{plan.name}</Link>
                  </Table.Cell>
                  <Table.TextCell>{plan.rules.events.length}</Table.TextCell>
                  <Table.TextCell>{plan.sources.length}</Table.TextCell>
                  <Table.TextCell>{plan.version}</Table.TextCell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Pane>
    </>
  );
}
