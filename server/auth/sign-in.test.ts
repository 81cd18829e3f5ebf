import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { hashPassword } from './password.ts';
import { createAuthSession, resolveAuthSession, revokeAuthSession } from './sessions.ts';
import { authenticate } from './sign-in.ts';

let testDb: TTestDb;

beforeAll(async () => {
  testDb = await createTestDb();
  await testDb.db.user.create({ data: { email: 'ada@example.com', name: 'Ada', passwordHash: await hashPassword('correct horse battery') } });
  await testDb.db.user.create({ data: { email: 'bob@example.com', name: 'Bob', passwordHash: await hashPassword('bob password 1') } });
});
afterAll(() => testDb.drop());

describe('sign-in', () => {
  it('accepts the right password (e-mail case-insensitive) and refuses a wrong one without saying which part was wrong', async () => {
    await expect(authenticate({ db: testDb.db, email: ' Ada@Example.com ', password: 'correct horse battery', ip: '10.0.0.1' })).resolves.toMatchObject({ email: 'ada@example.com' });
    await expect(authenticate({ db: testDb.db, email: 'ada@example.com', password: 'wrong', ip: '10.0.0.1' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'E-mail or password is incorrect.' });
    await expect(authenticate({ db: testDb.db, email: 'nobody@example.com', password: 'wrong', ip: '10.0.0.1' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'E-mail or password is incorrect.' });
  });

  it('locks an account after 10 failures in the window, even for the right password, then lets it in after the window', async () => {
    for (let i = 0; i < 10; i++) {
      await expect(authenticate({ db: testDb.db, email: 'bob@example.com', password: `guess ${i}`, ip: `10.1.0.${i}` })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    await expect(authenticate({ db: testDb.db, email: 'bob@example.com', password: 'bob password 1', ip: '10.1.1.1' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const later = new Date(Date.now() + 16 * 60_000);
    await expect(authenticate({ db: testDb.db, email: 'bob@example.com', password: 'bob password 1', ip: '10.1.1.1', now: later })).resolves.toMatchObject({ email: 'bob@example.com' });
  });

  it('slows down one IP guessing across many accounts', async () => {
    for (let i = 0; i < 50; i++) {
      await authenticate({ db: testDb.db, email: `user${i}@example.com`, password: 'x', ip: '192.0.2.77' }).catch(() => undefined);
    }
    await expect(authenticate({ db: testDb.db, email: 'ada@example.com', password: 'correct horse battery', ip: '192.0.2.77' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await expect(authenticate({ db: testDb.db, email: 'ada@example.com', password: 'correct horse battery', ip: '192.0.2.78' })).resolves.toBeTruthy();
  });
});

describe('sessions', () => {
  it('ends on the server when revoked', async () => {
    const user = await testDb.db.user.findUniqueOrThrow({ where: { email: 'ada@example.com' } });
    const session = await createAuthSession({ db: testDb.db, userId: user.id, ip: '10.0.0.1' });
    expect(await resolveAuthSession({ db: testDb.db, sessionId: session.id })).toMatchObject({ email: 'ada@example.com' });
    await revokeAuthSession({ db: testDb.db, sessionId: session.id });
    expect(await resolveAuthSession({ db: testDb.db, sessionId: session.id })).toBeNull();
  });
});
