import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
let token: string;
let caseId: number;

beforeAll(async () => {
  ({ h } = await demoHarness(60_000));
  token = (await h.user('responder')).token;
  const list = (await (await h.request('GET', '/api/cases?status=open', { token })).json()) as { cases: Array<{ id: number }> };
  caseId = list.cases[0]!.id;
});
afterAll(() => h.close());

async function expectError(res: Response, status: number, code: string, messagePart?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { code: string; message: string; requestId: string };
  expect(body.code).toBe(code);
  expect(body.requestId).toBeTruthy();
  if (messagePart) expect(body.message).toContain(messagePart);
  return body;
}

describe("API: a client's mistakes are 4xx that name what is wrong", () => {
  it('rejects an unknown status filter, naming the field', async () => {
    await expectError(
      await h.request('GET', '/api/cases?status=bogus', { token }),
      400,
      'BAD_REQUEST',
      'query.status: expected one of open, claimed, replied, snoozed, escalated, resolved',
    );
  });

  it('rejects a bad limit and a forged cursor', async () => {
    await expectError(await h.request('GET', '/api/cases?limit=0', { token }), 400, 'BAD_REQUEST', 'query.limit');
    await expectError(await h.request('GET', '/api/cases?limit=abc', { token }), 400, 'BAD_REQUEST', 'query.limit');
    await expectError(await h.request('GET', '/api/cases?cursor=Zm9vOmJhcg', { token }), 400, 'BAD_REQUEST', 'cursor');
  });

  it('404 for an unknown case, 400 for an id that is not a number', async () => {
    await expectError(await h.request('GET', '/api/cases/999999', { token }), 404, 'NOT_FOUND', 'case 999999');
    await expectError(await h.request('POST', '/api/cases/999999/claim', { token }), 404, 'NOT_FOUND');
    await expectError(await h.request('GET', '/api/cases/abc', { token }), 400, 'BAD_REQUEST', 'path.id');
    await expectError(await h.request('GET', '/api/cases/1e400', { token }), 400, 'BAD_REQUEST', 'path.id');
  });

  it('rejects malformed JSON, a missing field and a wrong type', async () => {
    await expectError(await h.request('POST', '/api/analyze', { token, body: '{"text":' }), 400, 'BAD_REQUEST', 'JSON');
    await expectError(await h.request('POST', '/api/analyze', { token, json: {} }), 400, 'BAD_REQUEST', 'text');
    await expectError(await h.request('POST', '/api/analyze', { token, json: { text: 42 } }), 400, 'BAD_REQUEST', 'text: expected the post text as a string');
    await expectError(await h.request('POST', '/api/analyze', { token, json: { text: 'x'.repeat(10_001) } }), 400, 'BAD_REQUEST', 'text: at most 10,000');
  });

  it('refuses text the database cannot store (a NUL, a lone surrogate), naming the field, and stores nothing', async () => {
    const notes = async () => ((await (await h.request('GET', `/api/cases/${caseId}`, { token })).json()) as { notes: unknown[] }).notes.length;
    const before = await notes();
    const body = await expectError(
      await h.request('POST', `/api/cases/${caseId}/notes`, { token, json: { text: 'called him\u0000back' } }),
      400,
      'BAD_REQUEST',
      'text: contains a NUL',
    );
    expect((body as unknown as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(['text']);
    await expectError(
      await h.request('POST', `/api/cases/${caseId}/notes`, { token, json: { text: 'broken \uD83D emoji' } }),
      400,
      'BAD_REQUEST',
      'text: contains',
    );
    expect(await notes()).toBe(before);
    await expectError(await h.request('GET', '/api/cases?category=%00', { token }), 400, 'BAD_REQUEST', 'query.category: contains a NUL');
    await expectError(await h.request('POST', '/api/tokens', { token, json: { name: 'ci\uDC00' } }), 400, 'BAD_REQUEST', 'name: contains');
    // A whole emoji (a surrogate pair) is of course fine.
    expect((await h.request('POST', `/api/cases/${caseId}/notes`, { token, json: { text: 'called him back 🙂' } })).status).toBe(201);
    // The sign-in form too: the failed login's audit line would have carried the NUL into the database.
    const form = await h.request('POST', '/login', { body: 'email=a%00%40b.hr&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('email: contains a NUL');
  });

  it('refuses a body over 64 KiB', async () => {
    await expectError(await h.request('POST', '/api/analyze', { token, json: { text: 'x'.repeat(70_000) } }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('asks to claim before replying, and refuses replies longer than the platform allows', async () => {
    await expectError(await h.request('POST', `/api/cases/${caseId}/replies`, { token, json: { text: 'Hi' } }), 409, 'CONFLICT', 'claim case');
    expect((await h.request('POST', `/api/cases/${caseId}/claim`, { token })).status).toBe(200);
    await expectError(await h.request('POST', `/api/cases/${caseId}/replies`, { token, json: { text: 'x'.repeat(281) } }), 422, 'UNPROCESSABLE', 'at most 280');
    await expectError(await h.request('POST', `/api/cases/${caseId}/replies`, { token, json: { text: '   ' } }), 400, 'BAD_REQUEST', 'text');
  });

  it('refuses a second claim by someone else, and an idempotency key reused for other text', async () => {
    const other = await h.user('responder');
    await expectError(await h.request('POST', `/api/cases/${caseId}/claim`, { token: other.token }), 409, 'CONFLICT', 'claimed by someone else');
    expect((await h.request('POST', `/api/cases/${caseId}/replies`, { token, json: { text: 'First' }, headers: { 'idempotency-key': 'k' } })).status).toBe(202);
    await expectError(
      await h.request('POST', `/api/cases/${caseId}/replies`, { token, json: { text: 'Second' }, headers: { 'idempotency-key': 'k' } }),
      409,
      'CONFLICT',
      'Idempotency-Key',
    );
  });

  it('404 in the same shape for an unknown route', async () => {
    await expectError(await h.request('GET', '/api/nope', { token }), 404, 'NOT_FOUND', 'GET /api/nope');
  });
});
