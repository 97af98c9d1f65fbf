import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE, loadSample } from '../../adapters/replay/sample.ts';
import { freePort, type Running, startOdziv, waitFor } from '../helpers/process.ts';

describe('the demo: a replayed complaint goes viral and marketing hears of it once', () => {
  let running: Running | undefined;
  let server: Server | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'odziv-e2e-alerts-'));
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts exactly one alert per viral complaint to the marketing webhook', async () => {
    const received: Array<{ at: number; text: string }> = [];
    server = createServer(async (req, res) => {
      let body = '';
      for await (const c of req) body += c;
      received.push({ at: Date.now(), text: (JSON.parse(body) as { text: string }).text });
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(server.address() as { port: number }).port}/slack`;
    const viral = loadSample(DEFAULT_SAMPLE).filter((i) => i.growth);
    const started = Date.now();
    running = startOdziv({ PORT: String(await freePort()), HOST: '127.0.0.1', ODZIV_DATA_DIR: dir, ALERT_WEBHOOK_URL: hook, ODZIV_POLL_CRON: '* * * * * *' });
    await waitFor('a viral alert', async () => (received.length >= 1 ? true : undefined), 150_000, 500);
    // Give duplicates a chance to show up: several more rounds of the metrics (15 s) and alert (5 s) jobs.
    await new Promise((r) => setTimeout(r, 35_000));
    const alerted = viral.filter((v) => received.some((r) => r.text.includes(`@${v.author.handle}`)));
    expect(alerted.length).toBeGreaterThanOrEqual(1);
    for (const v of alerted) {
      expect(
        received.filter((r) => r.text.includes(`@${v.author.handle}`)),
        v.text,
      ).toHaveLength(1);
    }
    expect(received).toHaveLength(alerted.length);
    expect(received.every((r) => r.text.startsWith('🔥 Complaint going viral'))).toBe(true);
    // A figure, not an assertion: how long from start to the first alert on this machine.
    console.log(`first viral alert ${((received[0]!.at - started) / 1000).toFixed(1)} s after odziv started`);
  }, 300_000);
});
