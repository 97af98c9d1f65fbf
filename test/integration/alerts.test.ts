import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { alertDeliveries, alerts, cases } from '../../db/schema/index.ts';
import { emailChannel } from '../../src/alerts/channels/email.ts';
import { signedWebhookChannel, slackChannel } from '../../src/alerts/channels/http.ts';
import { deliverAlerts, enqueueDeliveries, MAX_DELIVERY_ATTEMPTS } from '../../src/alerts/outbox.ts';
import { detectViral } from '../../src/alerts/viral-detect.ts';
import { refreshEngagement } from '../../src/ingest/metrics.ts';
import { useClockedHarness } from '../helpers/clock-replay.ts';
import { silentLog } from '../helpers/harness.ts';
import { useReceiver } from '../helpers/receiver.ts';

const demo = useClockedHarness();
const { clock } = demo;

const addAlert = async (kind: 'viral' | 'rule' | 'sla', audience: 'marketing' | 'community_manager', key: string) =>
  (
    await demo.h.deps.database.db
      .insert(alerts)
      .values({ kind, audience, dedupKey: key, title: `${kind} ${key}`, details: { url: 'https://x.com/a/status/1' } })
      .returning()
  )[0]!;
/** A case of the replayed demo's first posts (polled twice: the first poll sets the stream's start). */
async function demoCase(): Promise<number> {
  await demo.h.pollOnce();
  clock.advance(5_000);
  await demo.h.pollOnce();
  const [c] = await demo.h.deps.database.db.select({ id: cases.id }).from(cases).limit(1);
  return c!.id;
}
const makeDue = () => demo.h.deps.database.db.update(alertDeliveries).set({ availableAt: sql`now() - interval '1 second'` });

describe('alert channels and their outbox', () => {
  const r = useReceiver();

  it('posts Slack-compatible JSON, only for what the audience should hear, once per alert', async () => {
    const channels = { slack: slackChannel({ marketing: `${r.url}/marketing`, community_manager: `${r.url}/cm` }) };
    await addAlert('viral', 'marketing', 'v1');
    await addAlert('rule', 'marketing', 'r1');
    await addAlert('sla', 'community_manager', 's1');
    expect(await enqueueDeliveries(demo.h.deps.database, channels)).toBe(2);
    expect(await enqueueDeliveries(demo.h.deps.database, channels)).toBe(0);
    await deliverAlerts(demo.h.deps.database, channels, silentLog);
    await deliverAlerts(demo.h.deps.database, channels, silentLog);
    expect(r.hook.got.map((g) => g.path).sort()).toEqual(['/cm', '/marketing']);
    const slack = JSON.parse(r.hook.got.find((g) => g.path === '/marketing')!.body) as { text: string };
    expect(slack.text).toContain('viral v1');
    expect(slack.text).toContain('https://x.com/a/status/1');
  });

  it('signs the generic webhook, retries a 5xx with back-off, dead-letters a 4xx', async () => {
    const secret = 'a-long-shared-secret-123';
    const channels = { webhook: signedWebhookChannel(`${r.url}/hook`, secret) };
    r.hook.plan.push(503, 200, 400);
    const a = await addAlert('viral', 'marketing', 'v2');
    await enqueueDeliveries(demo.h.deps.database, channels);
    await deliverAlerts(demo.h.deps.database, channels, silentLog);
    let [d] = await demo.h.deps.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, a.id));
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(d!.lastError).toContain('HTTP 503');
    await makeDue();
    await deliverAlerts(demo.h.deps.database, channels, silentLog);
    [d] = await demo.h.deps.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, a.id));
    expect(d).toMatchObject({ status: 'sent', attempts: 2 });
    const sent = r.hook.got.at(-1)!;
    expect(sent.headers['x-odziv-signature']).toBe(`sha256=${createHmac('sha256', secret).update(sent.body).digest('hex')}`);
    expect(JSON.parse(sent.body)).toMatchObject({ id: a.id, kind: 'viral', audience: 'marketing' });

    const b = await addAlert('sla', 'community_manager', 's2');
    await enqueueDeliveries(demo.h.deps.database, channels);
    await deliverAlerts(demo.h.deps.database, channels, silentLog);
    const [dead] = await demo.h.deps.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, b.id));
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('links the case in odziv, where it is answered, when ODZIV_PUBLIC_URL says where odziv is', async () => {
    const channels = {
      slack: slackChannel({ marketing: `${r.url}/linked` }),
      webhook: signedWebhookChannel(`${r.url}/linked-hook`, 'a-long-shared-secret-123'),
    };
    const caseId = await demoCase();
    await demo.h.deps.database.db
      .insert(alerts)
      .values({ kind: 'viral', audience: 'marketing', caseId, dedupKey: 'linked', title: 'Complaint going viral from @someone' });
    await enqueueDeliveries(demo.h.deps.database, channels);
    // (Whatever else the demo raised goes out too, twenty a run.)
    while (await deliverAlerts(demo.h.deps.database, channels, silentLog, undefined, 'https://odziv.vedra.test'));
    const mine = (path: string, title: string) =>
      r.hook.got
        .filter((g) => g.path === path)
        .map((g) => JSON.parse(g.body) as { text?: string; title?: string; caseUrl?: string })
        .find((b) => (b.text ?? b.title ?? '').includes(title))!;
    expect(mine('/linked', 'from @someone').text).toContain(`odziv: https://odziv.vedra.test/cases/${caseId}`);
    expect(mine('/linked-hook', 'from @someone')).toMatchObject({ caseUrl: `https://odziv.vedra.test/cases/${caseId}` });
    // Without the address there is nothing to link.
    await demo.h.deps.database.db.insert(alerts).values({ kind: 'viral', audience: 'marketing', caseId, dedupKey: 'unlinked', title: 'unlinked' });
    await enqueueDeliveries(demo.h.deps.database, channels);
    while (await deliverAlerts(demo.h.deps.database, channels, silentLog));
    expect(mine('/linked', 'unlinked').text).not.toContain('odziv:');
  });

  it('gives up after the last attempt and keeps the reason', async () => {
    const channels = { slack: slackChannel({ marketing: `${r.url}/m` }) };
    const a = await addAlert('viral', 'marketing', 'v3');
    await enqueueDeliveries(demo.h.deps.database, channels);
    await demo.h.deps.database.db.update(alertDeliveries).set({ attempts: MAX_DELIVERY_ATTEMPTS - 1 });
    r.hook.plan.push(500);
    await deliverAlerts(demo.h.deps.database, channels, silentLog);
    const [d] = await demo.h.deps.database.db.select().from(alertDeliveries).where(eq(alertDeliveries.alertId, a.id));
    expect(d).toMatchObject({ status: 'dead', attempts: MAX_DELIVERY_ATTEMPTS });
  });
});

describe('e-mail alerts', () => {
  it('are delivered to a real SMTP server on loopback', async () => {
    const mails: Array<{ from: string; to: string[]; data: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as { port: number }).port;
    const channels = {
      email: emailChannel({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'odziv <odziv@vedra.test>', to: { community_manager: 'cm@vedra.test' } }),
    };
    try {
      await addAlert('sla', 'community_manager', 'mail-1');
      await addAlert('viral', 'marketing', 'mail-2'); // marketing has no recipients here: not queued
      expect(await enqueueDeliveries(demo.h.deps.database, channels)).toBe(1);
      await deliverAlerts(demo.h.deps.database, channels, silentLog);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['cm@vedra.test']);
      expect(mails[0]!.data).toContain('Subject: [odziv] sla mail-1');
      // An alert about a case says where to answer it.
      const caseId = await demoCase();
      await demo.h.deps.database.db.insert(alerts).values({ kind: 'sla', audience: 'community_manager', caseId, dedupKey: 'mail-3', title: 'SLA breached' });
      await enqueueDeliveries(demo.h.deps.database, channels);
      await deliverAlerts(demo.h.deps.database, channels, silentLog, undefined, 'https://odziv.vedra.test');
      expect(mails.at(-1)!.data).toContain(`Open the case in odziv: https://odziv.vedra.test/cases/${caseId}`);
    } finally {
      await channels.email.close?.();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('viral detection on the replayed demo', () => {
  it('raises one marketing alert per viral complaint as its engagement takes off, and updates it after', async () => {
    await demo.h.pollOnce();
    clock.advance(5_000);
    await demo.h.pollOnce();
    // Engagement 30 s, then 60 s after the posts appeared.
    for (const step of [30_000, 30_000, 30_000]) {
      clock.advance(step);
      await refreshEngagement(demo.h.deps.database, demo.h.deps.adapters, silentLog, clock.now());
      await detectViral(demo.h.deps.database, 60, clock.now());
    }
    const viral = await demo.h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'viral'));
    expect(viral.length).toBeGreaterThanOrEqual(1);
    expect(viral.every((a) => a.audience === 'marketing' && a.dedupKey.startsWith('viral:'))).toBe(true);
    expect(new Set(viral.map((a) => a.dedupKey)).size).toBe(viral.length);
    const [c] = await demo.h.deps.database.db.select().from(cases).where(eq(cases.id, viral[0]!.caseId!));
    expect(c).toBeDefined();
    expect((viral[0]!.details as { score: number }).score).toBeGreaterThanOrEqual(60);
  });
});
