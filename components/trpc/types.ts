/** Shapes of what the API returns, derived from the router's types (types only, nothing from the server runs here). */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root.ts';

type TOutputs = inferRouterOutputs<AppRouter>;
type TInputs = inferRouterInputs<AppRouter>;

export type TSource = TOutputs['sources']['get'];
export type TWriteKey = TSource['writeKeys'][number];
export type TDestination = TOutputs['destinations']['get'];
export type TDeliveryTuning = TDestination['delivery'];
export type TDestinationTypeInfo = TOutputs['destinations']['types']['data'][number];
export type TTestEventResult = TOutputs['destinations']['test'];
export type TDeliveryTuningInput = NonNullable<TInputs['destinations']['create']['delivery']>;
export type TMember = TOutputs['members']['list'][number];
export type TInvite = TOutputs['members']['invites'][number];
export type TApiToken = TOutputs['tokens']['list'][number];
export type TAuditEntry = TOutputs['audit']['list']['data'][number];
export type TEventView = TOutputs['events']['list']['data'][number];
export type TEventFilter = NonNullable<TInputs['events']['newer']['filter']>;
export type TEventType = NonNullable<TEventFilter['type']>;
export type TWorkspace = TOutputs['workspaces']['me']['workspaces'][number];
export type TRegulation = TOutputs['privacy']['regulation'];
export type TRegulationSummary = TOutputs['privacy']['regulations']['data'][number];
export type TRegulationTarget = TRegulation['targets'][number];
export type TRegulationType = TRegulation['regulationType'];
export type TSubjectType = TRegulation['subjectType'];
export type TSuppression = TOutputs['privacy']['suppressions']['data'][number];
export type TFilter = TOutputs['filters']['get'];
export type TFilterAction = TFilter['action'];
export type TFilterPreview = TOutputs['filters']['preview'];
export type TTrackingPlan = TOutputs['trackingPlans']['get'];
export type TViolationGroup = TOutputs['trackingPlans']['violations']['data'][number];
