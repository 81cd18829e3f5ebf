'use client';

/** Events received, delivered and failed per hour over the last 24 hours, side by side. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatDateTime } from '../common/format.ts';

export interface TTrafficHour {
  hour: Date;
  received: number;
  delivered: number;
  failed: number;
}

export function TrafficChart({ hours }: { hours: TTrafficHour[] }) {
  const data = hours.map((h) => ({ ...h, at: h.hour.getTime() }));
  return (
    <div style={{ width: '100%', height: 260 }} data-testid="traffic-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} barGap={1} barCategoryGap="20%">
          <CartesianGrid stroke="#E6E8F0" vertical={false} />
          <XAxis dataKey="at" interval={2} tickFormatter={(at: number) => formatClock(new Date(at))} tick={{ fontSize: 12, fill: '#696f8c' }} stroke="#c1c4d6" />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#696f8c' }} stroke="#c1c4d6" width={48} />
          <Tooltip cursor={{ fill: '#F4F5F9' }} labelFormatter={(at) => `${formatDateTime(new Date(Number(at)))} – ${formatClock(new Date(Number(at) + 3_600_000))}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="received" name="Received" fill="#3366FF" isAnimationActive={false} />
          <Bar dataKey="delivered" name="Delivered" fill="#52BD94" isAnimationActive={false} />
          <Bar dataKey="failed" name="Failed" fill="#D14343" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
