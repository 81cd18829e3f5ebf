'use client';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs` so relative times ("42 s ago") stay true between polls. */
export function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
