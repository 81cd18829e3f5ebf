/** How a privacy request names its subjects. */
import { z } from 'zod';

export const SUBJECT_TYPES = ['USER_ID', 'ANONYMOUS_ID', 'EMAIL'] as const;
export type TSubjectType = (typeof SUBJECT_TYPES)[number];
export const ZSubjectType = z.enum(SUBJECT_TYPES);
