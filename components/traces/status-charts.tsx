'use client';

/**
 * Status-code charts for one destination or the whole workspace (Segment's "day of HTTP
 * responses"): answers by code and network error over time, first-attempt against eventual
 * success, deliveries by attempt number, latency percentiles, and the most common answers
 * per failing code with example events. All from rollups; hovering shows the numbers.
 */
import { useQuery } from '@tanstack/react-query';
import { Badge, Heading, Pane, Text } from 'evergreen-ui';
import Link from 'next/link';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card } from '../common/card.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TStatsView } from '../trpc/types.ts';
import { RangePicker } from './range-picker.tsx';
import { rangeLabel, type TRangeValue } from './range.ts';

const SHADES = {
  ok: ['#317159', '#52BD94', '#A3E6CD'],
  client: ['#A73636', '#D14343', '#EE9191'],
  server: ['#996A13', '#FFB020', '#FFD079'],
  other: ['#6E62B6', '#8F95B2', '#C1C4D6'],
};

export function colorOf(key: string, index: number): string {
  const code = Number(key);
  const family = !Number.isFinite(code) ? SHADES.other : code < 300 ? SHADES.ok : code < 500 ? SHADES.client : SHADES.server;
  return family[index % family.length];
}

function tickTime(range: TRangeValue) {
  return (value: number) => {
    const date = new Date(value);
    if (range === '1h' || range === '24h') return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }) + (range === '7d' ? ` ${date.getHours()}h` : '');
  };
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(rate > 0.999 || rate < 0.001 ? 0 : 1)} %`);
const ms = (value: number | null) => (value === null ? '—' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`);

function Kpi({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <Pane flex="1 1 140px" padding={14} border="1px solid #E6E8F0" borderRadius={8} data-testid={testId}>
      <Text size={300} color="muted" display="block">{label}</Text>
      <Heading size={700} marginTop={4}>{value}</Heading>
      {hint && <Text size={300} color="muted">{hint}</Text>}
    </Pane>
  );
}

function Charts({ stats }: { stats: TStatsView }) {
  const { href } = useWorkspace();
  const range = stats.range;
  const familyIndex = new Map<string, number>();
  const colors = stats.keys.map((key) => {
    const family = !Number.isFinite(Number(key)) ? 'x' : String(Math.floor(Number(key) / 100));
    const i = familyIndex.get(family) ?? 0;
    familyIndex.set(family, i + 1);
    return colorOf(key, i);
  });
  const series = stats.series.map((b) => ({ t: b.t.getTime(), ...b.counts }));
  const latency = stats.latencySeries.filter((p) => p.p50 !== null).map((p) => ({ t: p.t.getTime(), p50: p.p50, p95: p.p95, p99: p.p99 }));
  const tick = tickTime(range);
  const tooltipLabel = (value: unknown) => new Date(Number(value)).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Pane display="flex" flexDirection="column" gap={24}>
      <Pane display="flex" gap={12} flexWrap="wrap">
        <Kpi label="Attempts" value={stats.totals.attempts.toLocaleString('en-US')} hint={`${stats.totals.delivered.toLocaleString('en-US')} delivered`} testId="kpi-attempts" />
        <Kpi label="First-attempt success" value={percent(stats.firstAttemptSuccessRate)} hint="delivered on the first try" testId="kpi-first" />
        <Kpi label="Eventual success" value={percent(stats.eventualSuccessRate)} hint="of ended deliveries, after retries" testId="kpi-eventual" />
        <Kpi label="Latency p50 · p95 · p99" value={`${ms(stats.latency.p50)}`} hint={`p95 ${ms(stats.latency.p95)} · p99 ${ms(stats.latency.p99)}`} testId="kpi-latency" />
      </Pane>
      <Pane>
        <Heading size={400} marginBottom={8}>Answers over time</Heading>
        <Pane height={260} data-testid="chart-codes">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={series} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
              <CartesianGrid vertical={false} stroke="#EDEFF5" />
              <XAxis dataKey="t" type="category" tickFormatter={tick} tick={{ fontSize: 11, fill: '#696f8c' }} minTickGap={24} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#696f8c' }} />
              <Tooltip labelFormatter={tooltipLabel} cursor={{ fill: '#F4F5F9' }} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {stats.keys.map((key, i) => (
                <Bar key={key} dataKey={key} name={Number.isFinite(Number(key)) ? `HTTP ${key}` : key} stackId="codes" fill={colors[i]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </Pane>
      </Pane>
      <Pane display="grid" gridTemplateColumns="minmax(0, 1fr) minmax(0, 1fr)" gap={24}>
        <Pane>
          <Heading size={400} marginBottom={8}>Delivered at attempt</Heading>
          <Pane height={200} data-testid="chart-attempts">
            {stats.successByAttempt.length === 0 ? (
              <Text size={300} color="muted">Nothing was delivered in this range.</Text>
            ) : (
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={stats.successByAttempt.map((a) => ({ attempt: `#${a.attempt}`, count: a.count }))} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
                  <CartesianGrid vertical={false} stroke="#EDEFF5" />
                  <XAxis dataKey="attempt" tick={{ fontSize: 11, fill: '#696f8c' }} />
                  <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#696f8c' }} />
                  <Tooltip formatter={(value) => [value, 'deliveries']} cursor={{ fill: '#F4F5F9' }} />
                  <Bar dataKey="count" name="Deliveries" fill="#52BD94" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            )}
          </Pane>
        </Pane>
        <Pane>
          <Heading size={400} marginBottom={8}>Latency</Heading>
          <Pane height={200} data-testid="chart-latency">
            {latency.length === 0 ? (
              <Text size={300} color="muted">No answers with a latency in this range.</Text>
            ) : (
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={latency} margin={{ top: 4, right: 8, bottom: 0, left: -4 }}>
                  <CartesianGrid vertical={false} stroke="#EDEFF5" />
                  <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} tick={{ fontSize: 11, fill: '#696f8c' }} />
                  <YAxis unit=" ms" tick={{ fontSize: 11, fill: '#696f8c' }} />
                  <Tooltip labelFormatter={tooltipLabel} formatter={(value) => `${value} ms`} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Line dataKey="p50" stroke="#3366FF" dot={latency.length < 3} isAnimationActive={false} />
                  <Line dataKey="p95" stroke="#FFB020" dot={latency.length < 3} isAnimationActive={false} />
                  <Line dataKey="p99" stroke="#D14343" dot={latency.length < 3} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            )}
          </Pane>
        </Pane>
      </Pane>
      <Pane>
        <Heading size={400} marginBottom={8}>Most common failing answers</Heading>
        {stats.topResponses.length === 0 ? (
          <Text size={300} color="muted">No failed attempt in this range.</Text>
        ) : (
          <Pane display="flex" flexDirection="column" gap={8} data-testid="top-responses">
            {stats.topResponses.map((group) =>
              group.excerpts.map((e, i) => (
                <Pane key={`${group.code}-${i}`} display="flex" alignItems="center" gap={12} padding={10} border="1px solid #E6E8F0" borderRadius={6}>
                  <Badge color={Number(group.code) >= 500 ? 'orange' : Number.isFinite(Number(group.code)) ? 'red' : 'purple'} fontFamily="mono" flexShrink={0}>{group.code}</Badge>
                  <Text size={300} color="muted" flexShrink={0} width={70}>{e.count.toLocaleString('en-US')}×</Text>
                  <Text size={300} fontFamily="mono" flex={1} minWidth={0} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={e.excerpt}>{e.excerpt || '(empty body)'}</Text>
                  <Pane display="flex" gap={8} flexShrink={0}>
                    {e.eventIds.map((id, n) => (
                      <Link key={id} href={href('events', id)} style={{ color: '#2952CC', fontSize: 12 }}>example {n + 1}</Link>
                    ))}
                  </Pane>
                </Pane>
              )),
            )}
          </Pane>
        )}
      </Pane>
    </Pane>
  );
}

export function StatusCharts({ destinationId, title = 'Status codes' }: { destinationId?: string; title?: string }) {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const [range, setRange] = useState<TRangeValue>('24h');
  const one = useQuery({ ...trpc.traces.destinationStats.queryOptions({ workspaceId: workspace.id, destinationId: destinationId ?? '', range }), enabled: Boolean(destinationId), refetchInterval: 30_000 });
  const all = useQuery({ ...trpc.traces.workspaceStats.queryOptions({ workspaceId: workspace.id, range }), enabled: !destinationId, refetchInterval: 30_000 });
  const stats = destinationId ? one : all;
  return (
    <Card
      title={title}
      description={`How ${destinationId ? 'this destination' : 'every destination'} answered: status codes and network errors, success at the first attempt and after retries, and latency.`}
      actions={<RangePicker value={range} onChange={setRange} />}
      testId="status-charts"
    >
      <div id="status-codes" />
      {stats.isPending ? (
        <Loading label="Loading charts…" />
      ) : stats.isError ? (
        <QueryError error={stats.error} onRetry={() => stats.refetch()} />
      ) : stats.data.totals.attempts === 0 && stats.data.totals.archived === 0 && stats.data.totals.discarded === 0 ? (
        <Pane padding={32} textAlign="center" background="#F9FAFC" borderRadius={8} data-testid="charts-empty">
          <Heading size={400}>No delivery attempts in the {rangeLabel(range).toLowerCase()}</Heading>
          <Text size={300} color="muted">Charts fill in as events are delivered. Pick a longer range to see older traffic.</Text>
        </Pane>
      ) : (
        <Charts stats={stats.data} />
      )}
    </Card>
  );
}
