'use client';

/**
 * "Add destination": the catalog first; then, for the picked type, what it does and its
 * settings form. A webhook keeps its own form (its signing secret is shown once afterwards).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DataLineageIcon, toaster } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf, type TFieldErrors } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDeliveryTuning, TDestination } from '../trpc/types.ts';
import { CatalogBrowser } from './catalog/catalog-browser.tsx';
import { NewPartnerDestination } from './catalog/new-partner-destination.tsx';
import { typeInfo, useDestinationTypes } from './catalog/use-destination-types.ts';
import { buildPayload, deliveryDraft, emptyDraft } from './destination-draft.ts';
import { DestinationForm } from './destination-form.tsx';
import { SigningSecretDialog } from './signing-secret-dialog.tsx';

export function NewDestination({ initialSourceId, type, defaults }: { initialSourceId: string | null; type: string | null; defaults: TDeliveryTuning }) {
  const router = useRouter();
  const { href } = useWorkspace();
  const types = useDestinationTypes();
  const query = (next: string | null) => {
    const params = new URLSearchParams();
    if (initialSourceId) params.set('sourceId', initialSourceId);
    if (next) params.set('type', next);
    const text = params.toString();
    return `${href('destinations', 'new')}${text ? `?${text}` : ''}`;
  };
  if (type === 'webhook') return <NewWebhookDestination initialSourceId={initialSourceId} defaults={defaults} onBack={() => router.push(query(null))} />;
  const header = (title: string, description: string) => <PageHeader crumbs={[{ label: 'Destinations', href: href('destinations') }]} title={title} description={description} />;
  if (types.isPending) return <>{header('Add a destination', 'Choose a tool to deliver events to.')}<Loading /></>;
  if (types.isError) return <>{header('Add a destination', 'Choose a tool to deliver events to.')}<QueryError error={types.error} onRetry={() => types.refetch()} /></>;
  const info = type ? typeInfo(types.data.data, type) : undefined;
  if (!info) {
    return (
      <>
        {header('Add a destination', 'Choose the tool your events should reach. Each one is set up here, without reading its documentation first.')}
        <CatalogBrowser types={types.data.data} onPick={(picked) => router.push(query(picked))} />
      </>
    );
  }
  return <PartnerStep info={info} initialSourceId={initialSourceId} onBack={() => router.push(query(null))} />;
}

function PartnerStep({ info, initialSourceId, onBack }: { info: NonNullable<ReturnType<typeof typeInfo>>; initialSourceId: string | null; onBack: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { workspace, canEdit, href } = useWorkspace();
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));
  const header = <PageHeader crumbs={[{ label: 'Destinations', href: href('destinations') }, { label: 'Add', href: href('destinations', 'new') }]} title={`Add ${info.name}`} description={info.description} />;
  if (!canEdit) return <>{header}<ReadOnlyHint what="destinations" /></>;
  if (sources.isPending) return <>{header}<Loading /></>;
  if (sources.isError) return <>{header}<QueryError error={sources.error} onRetry={() => sources.refetch()} /></>;
  if (sources.data.length === 0) {
    return (
      <>
        {header}
        <Empty icon={<DataLineageIcon color="#3366FF" />} iconBgColor="#EBF0FF" title="Create a source first" description="A destination receives the events of a source." action={<Button appearance="primary" onClick={() => router.push(href('sources'))}>Go to sources</Button>} />
      </>
    );
  }
  return <>{header}<NewPartnerDestination info={info} sources={sources.data} initialSourceId={initialSourceId} onBack={onBack} /></>;
}

function NewWebhookDestination({ initialSourceId, defaults, onBack }: { initialSourceId: string | null; defaults: TDeliveryTuning; onBack: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { workspace, canEdit, href } = useWorkspace();
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));
  const [draft, setDraft] = useState(() => emptyDraft(initialSourceId ?? '', defaults));
  const [localErrors, setLocalErrors] = useState<TFieldErrors | null>(null);
  const [created, setCreated] = useState<{ destination: TDestination; signingSecret: string | null } | null>(null);
  const create = useMutation(
    trpc.destinations.create.mutationOptions({
      onSuccess: async (result) => {
        const { signingSecret, ...destination } = result;
        setCreated({ destination, signingSecret });
        toaster.success(`Destination “${destination.name}” created`);
        await queryClient.invalidateQueries(trpc.destinations.pathFilter());
        await queryClient.invalidateQueries(trpc.sources.pathFilter());
      },
      onError: (error) => toaster.danger('The destination could not be created', { description: errorMessage(error) }),
    }),
  );
  const header = <PageHeader crumbs={[{ label: 'Destinations', href: href('destinations') }]} title="Add a webhook destination" description="Deliver every event of a source to an HTTP endpoint, with retries through outages." />;

  if (!canEdit) return <>{header}<ReadOnlyHint what="destinations" /></>;
  if (sources.isPending) return <>{header}<Loading /></>;
  if (sources.isError) return <>{header}<QueryError error={sources.error} onRetry={() => sources.refetch()} /></>;
  if (sources.data.length === 0) {
    return (
      <>
        {header}
        <Empty icon={<DataLineageIcon color="#3366FF" />} iconBgColor="#EBF0FF" title="Create a source first" description="A destination receives the events of one source." action={<Button appearance="primary" onClick={() => router.push(href('sources'))}>Go to sources</Button>} />
      </>
    );
  }
  const sourceId = sources.data.some((s) => s.id === draft.sourceId) ? draft.sourceId : sources.data[0].id;

  function onSubmit() {
    const payload = buildPayload(draft, deliveryDraft(defaults));
    if (payload.errors) return setLocalErrors(payload.errors);
    setLocalErrors(null);
    const delivery = Object.keys(payload.delivery).length > 0 ? payload.delivery : undefined;
    create.mutate({ workspaceId: workspace.id, sourceId, type: 'webhook', name: draft.name.trim(), settings: payload.settings, delivery });
  }

  return (
    <>
      {header}
      <DestinationForm
        draft={{ ...draft, sourceId }}
        onChange={setDraft}
        errors={localErrors ?? fieldErrorsOf(create.error)}
        defaults={defaults}
        sources={sources.data}
        submitLabel="Create destination"
        isSubmitting={create.isPending}
        onSubmit={onSubmit}
        onCancel={onBack}
      />
      {created?.signingSecret && (
        <SigningSecretDialog
          destinationName={created.destination.name}
          secret={created.signingSecret}
          onDone={() => router.push(href('destinations', created.destination.id))}
        />
      )}
    </>
  );
}
