import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBluesky } from '../fakes/bluesky-server.ts';
import { useOdzivProcess } from '../helpers/odziv-process.ts';
import { freePort, startOdziv, waitFor } from '../helpers/process.ts';

const APP_PASSWORD = 'e2e1-blue-sky0-pass';

describe('odziv watching Bluesky (a fake server on loopback)', () => {
  let b: FakeBluesky;
  const odziv = useOdzivProcess('bluesky', () => ({ BLUESKY_HANDLE: b.brand.handle, BLUESKY_APP_PASSWORD: APP_PASSWORD, BLUESKY_SERVICE: b.url }));

  beforeAll(async () => {
    b = await new FakeBluesky(APP_PASSWORD).listen();
    for (let i = 0; i < 40; i++)
      b.addPost(
        b.author(`kupac${i}`),
        i % 3 ? `@${b.brand.handle} internet opet ne radi, čekam tehničara ${(i % 9) + 1} dana` : `@${b.brand.handle} hvala, sve radi!`,
      );
  });
  afterAll(() => b.close());

  it('flags the complaints among the notifications and answers one in its thread', async () => {
    const { base, headers: h } = await odziv.start();
    const list = await waitFor(
      'the complaints',
      async () => {
        const body = (await (await fetch(`${base}/api/cases?platform=bluesky&limit=200`, { headers: h })).json()) as { cases: Array<{ id: number }> };
        return body.cases.length >= 20 ? body.cases : undefined;
      },
      60_000,
      500,
    );
    const c = list[0]!;
    expect((await fetch(`${base}/api/cases/${c.id}/claim`, { method: 'POST', headers: h })).status).toBe(200);
    const res = await fetch(`${base}/api/cases/${c.id}/replies`, {
      method: 'POST',
      headers: { ...h, 'idempotency-key': 'e2e-1' },
      body: JSON.stringify({ text: 'Pozdrav, tehničar dolazi sutra ujutro.' }),
    });
    expect(res.status).toBe(202);
    await waitFor('the reply on Bluesky', async () => (b.created.length ? true : undefined), 30_000, 300);
    expect(b.created[0]!.text).toBe('Pozdrav, tehničar dolazi sutra ujutro.\n– Admin');
  }, 300_000);

  it('refuses to start with a refused app password, naming the variable and not the password', async () => {
    await odziv.stop('SIGKILL');
    const bad = startOdziv(odziv.env(await freePort(), { BLUESKY_APP_PASSWORD: 'zzzz-wrong-app-pass' }));
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('BLUESKY_APP_PASSWORD was refused');
    expect(bad.output()).not.toContain('zzzz-wrong-app-pass');
  }, 300_000);
});
