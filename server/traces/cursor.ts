/** Keyset cursors over (receivedAt, id), opaque to callers. */
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

export const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

export function encodeCursor(position: { receivedAt: Date; id: string }): string {
  return Buffer.from(`${position.receivedAt.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at);
  if (!id || Number.isNaN(receivedAt.getTime()) || !z.uuid().safeParse(id).success) throw new AppError('BAD_REQUEST', 'cursor is not valid; pass nextCursor from the previous page');
  return { receivedAt, id };
}
