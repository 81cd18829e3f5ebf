import { z } from 'zod';

/** A name people give to a source, destination, workspace or token. */
export const ZName = z.string().trim().min(1, 'Name is required').max(80);
