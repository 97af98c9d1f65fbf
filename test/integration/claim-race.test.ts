import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases } from '../../db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import { claimCase } from '../../src/queue/cases.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import { onPostgres } from '../helpers/db.ts';
import type { Harness } from '../helpers/harness.ts';

// One PGlite instance is one session, so claims cannot race there: this runs on real PostgreSQL.
describe.runIf(onPostgres)('claiming under contention (real PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    ({ h } = await demoHarness(120_000));
  });
  afterAll(() => h.close());

  it('many concurrent claims of the same cases never produce a double claim', async () => {
    const open = await h.deps.database.db.select({ id: cases.id }).from(cases).where(eq(cases.status, 'open')).limit(10);
    expect(open.length).toBe(10);
    const people = await Promise.all(Array.from({ length: 12 }, () => h.user('responder')));
    const attempts = open.flatMap((c) => people.map((p) => ({ caseId: c.id, userId: p.id, actor: p })));
    const results = await Promise.all(
      attempts.map((a) =>
        claimCase(h.deps.database, a.caseId, a.actor).then(
          () => ({ ...a, ok: true }),
          (e: unknown) => ({ ...a, ok: false, e }),
        ),
      ),
    );
    for (const c of open) {
      const winners = results.filter((r) => r.caseId === c.id && r.ok);
      expect(winners, `case ${c.id}`).toHaveLength(1);
      const [row] = await h.deps.database.db.select().from(cases).where(eq(cases.id, c.id));
      expect(row!.assigneeId).toBe(winners[0]!.userId);
      const claims = await h.deps.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subjectId, String(c.id)));
      expect(claims.filter((a) => a.action === 'case.claim')).toHaveLength(1);
    }
    const losers = results.filter((r) => !r.ok);
    expect(losers.length).toBe(attempts.length - open.length);
    expect(losers.every((l) => 'e' in l && l.e instanceof AppError && l.e.code === 'CONFLICT')).toBe(true);
  });
});
