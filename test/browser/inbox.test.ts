import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import twitterText from 'twitter-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE } from '../../adapters/replay/sample.ts';
import { freePort, type Running, startOdziv, waitFor } from '../helpers/process.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots refresh docs/ only when asked (ODZIV_SCREENSHOTS=1); otherwise they go to a temp folder. */
const SHOTS = process.env.ODZIV_SCREENSHOTS === '1' ? 'docs' : mkdtempSync(join(tmpdir(), 'odziv-shots-'));
const shot = (name: string) => join(SHOTS, name);
const PASSWORD = 'browser-admin-password-1';
const XSS = '@VedraTel <img src=x onerror="window.__xss=1"><script>window.__xss=2</script> internet ne radi, sramota!';

// Debian's Chromium is installed by .ci/run; without it (a laptop) these tests are skipped.
describe.runIf(existsSync(CHROMIUM))('web inbox in a real browser', () => {
  let dir: string;
  let running: Running;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'odziv-browser-'));
    // The demo stream with a hostile post first.
    const hostile = {
      id: 'xss-1',
      offsetSec: 0,
      lang: 'hr',
      kind: 'broken',
      text: XSS,
      author: { id: 'u-xss', handle: 'mallory', name: '<b>Mallory</b>', followers: 5 },
    };
    writeFileSync(join(dir, 'sample.jsonl'), `${JSON.stringify(hostile)}\n${readFileSync(DEFAULT_SAMPLE, 'utf8')}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    running = startOdziv({
      PORT: String(port),
      HOST: '127.0.0.1',
      ODZIV_DATA_DIR: join(dir, 'data'),
      ODZIV_ADMIN_PASSWORD: PASSWORD,
      ODZIV_REPLAY_SPEED: '50',
      ODZIV_REPLAY_FILE: join(dir, 'sample.jsonl'),
      ODZIV_POLL_CRON: '* * * * * *',
    });
    await waitFor('odziv', async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      // The login page follows the browser's language; this test reads the English one.
      locale: 'en-GB',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', () => {
      throw new Error('a dialog opened: post text ran as code');
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    running?.child.kill('SIGTERM');
    await running?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in, claims with the keyboard, replies with a template, sees it delivered, resolves', async () => {
    await page.goto(`${base}/inbox`);
    await page.waitForURL(/\/login/);
    await page.screenshot({ path: shot('login.png') });
    await page.getByLabel('E-mail').fill('admin@odziv.local');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/inbox/);
    await waitFor(
      'cases in the inbox',
      async () => {
        await page.reload();
        return (await page.locator('tr[data-href]').count()) >= 10 ? true : undefined;
      },
      30_000,
      1_000,
    );
    // The demo stream goes on: new cases announce themselves in a banner, and the page does not
    // reload under a half-typed search.
    const search = page.locator('input[name="q"]');
    await search.fill('half-typed');
    await expect.poll(() => page.locator('#new-cases').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('#new-cases a').textContent()).toMatch(/^\d+ new cases? — show$/);
    expect(await search.inputValue()).toBe('half-typed');
    await search.fill('');
    await search.blur();
    await page.screenshot({ path: shot('inbox.png'), fullPage: false });

    // Keyboard: move down, open, claim.
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/cases\/\d+$/);
    const caseUrl = page.url();
    await page.keyboard.press('c');
    await page.waitForURL(/notice=claimed/);
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('Claimed');

    // A template fills the composer, addressed to the customer and signed on sending.
    await page.locator('a.chip', { hasText: '★' }).first().click();
    const draft = await page.locator('#reply-text').inputValue();
    expect(draft.length).toBeGreaterThan(20);
    expect(await page.locator('#reply-count').textContent()).toMatch(/^\d+ \/ 280$/);
    await page.keyboard.press('r');
    await page.getByRole('button', { name: /Send reply/ }).click();
    await page.waitForURL(/notice=queued/);
    await waitFor(
      'the reply to be sent',
      async () => {
        await page.goto(caseUrl);
        return (await page.getByText(/^Sent/).count()) > 0 ? true : undefined;
      },
      20_000,
      500,
    );
    await page.screenshot({ path: shot('case.png'), fullPage: true });
    const recorded = (await (await page.request.get(`${base}/api/replay/replies`)).json()) as { replies: Array<{ text: string }> };
    expect(recorded.replies).toHaveLength(1);
    expect(recorded.replies[0]!.text.startsWith(draft.trim())).toBe(true);
    expect(recorded.replies[0]!.text).toMatch(/– Admin$/);

    await page.keyboard.press('e');
    await page.waitForURL(/notice=resolved/);
    expect(await page.locator('h1 .chip').textContent()).toBe('resolved');
  });

  it('shows a post whose text is an XSS payload as text, running nothing', async () => {
    await page.goto(`${base}/inbox?status=open`);
    const row = page.locator('tr[data-href]', { hasText: 'mallory' });
    await expect.poll(() => row.count()).toBeGreaterThan(0);
    await row.first().locator('a').first().click();
    await page.waitForURL(/\/cases\/\d+/);
    expect(await page.locator('#post-text').textContent()).toContain('<img src=x onerror="window.__xss=1">');
    expect(await page.locator('#post-text img, #post-text script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const csp = (await page.request.get(page.url())).headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
  });

  it('counts a reply in the page as X counts it on the server (emoji 2, links 23, Cyrillic 1)', async () => {
    await page.goto(`${base}/inbox`);
    const replies = [
      'Pozdrav Ivana, žao nam je! Tehničar dolazi sutra do 12 h. – Ana',
      'Поштовани, извините на чекању, проверавамо одмах. – Марко',
      `Hvala vam 🙏🙏 ${'👍🏽'.repeat(3)} 👨‍👩‍👧 🇭🇷 1️⃣`,
      'Upute: https://vedra.hr/podrska/internet/ruter-restart-korak-po-korak?izvor=x i vedra.hr/kontakt – Ana',
      '“Navodnici” — crtica… i €, ™, © Vedra, ®️ ❤ ☺',
    ];
    const counted = await page.evaluate(
      (texts) => texts.map((t) => (globalThis as unknown as { odziv: { replyLength(rule: string, t: string): number } }).odziv.replyLength('twitter-text', t)),
      replies,
    );
    expect(counted).toEqual(replies.map((t) => twitterText.parseTweet(t).weightedLength));
    // On a case page the counter counts the reply as it will be sent, signature included.
    await page.goto(`${base}/inbox?status=open`);
    await page.locator('tr[data-href] a').first().click();
    await page.waitForURL(/\/cases\/\d+/);
    const sig = (await page.locator('#reply-count').getAttribute('data-signature')) ?? '';
    expect(sig).toMatch(/^– \S+/);
    await page.locator('#reply-text').fill('Hvala na strpljenju!');
    expect(await page.locator('#reply-count').textContent()).toBe(`${[...`Hvala na strpljenju!\n${sig}`].length} / 280`);
  });

  it('refuses a forged form post (no CSRF token)', async () => {
    const res = await page.request.post(`${base}/cases/1/note`, { form: { text: 'forged', _csrf: 'guess' }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
  });

  it('renders the dashboards with data, the stream health and the rules page', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/dashboard`);
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    expect(await page.locator('svg[role=img] rect').count()).toBeGreaterThan(5);
    expect(await page.getByText(/First response: median/).count()).toBe(1);
    await page.screenshot({ path: shot('dashboard.png'), fullPage: true });
    await page.goto(`${base}/streams`);
    expect(await page.locator('td', { hasText: 'replay/demo' }).count()).toBe(1);
    await page.goto(`${base}/rules`);
    expect(await page.getByText(/default/).count()).toBeGreaterThan(0);
  });

  it('backtests a candidate pack from the rules page, with progress and a result', async () => {
    await page.goto(`${base}/rules`);
    // The box starts from the pack in force.
    expect(await page.getByLabel('Pack (YAML)').inputValue()).toContain('- id: churn-intent');
    await page
      .getByLabel('Pack (YAML)')
      .fill(
        'pack: default\nrules:\n  - id: churn-only\n    conditions: { category: churn }\n    actions:\n      flag: { category: churn, reason: "Leaving" }\n',
      );
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.waitForURL(/\/rules\/backtests\/\d+/);
    await expect.poll(async () => page.locator('main').textContent(), { timeout: 20_000 }).toMatch(/no longer flagged/);
    expect(await page.locator('progress').count()).toBe(1);
    await page.goto(`${base}/rules`);
    const bad = 'pack: x\nrules:\n  - id: a\n    conditions: { minComplaint: 7 }\n    actions: { route: care }\n';
    await page.getByLabel('Pack (YAML)').fill(bad);
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.waitForURL(/\/rules\/backtest$/);
    expect(await page.locator('[role=alert]').last().textContent()).toContain('conditions.minComplaint: expected a number between 0 and 1');
    // The refused pack is still in the box, to be mended.
    expect(await page.getByLabel('Pack (YAML)').inputValue()).toBe(bad);
  });

  it('lists the viral complaint alert for marketing and acknowledges it', async () => {
    await waitFor(
      'a viral alert',
      async () => {
        await page.goto(`${base}/alerts?kind=viral`);
        return (await page.locator('article[aria-label="viral alert"]').count()) > 0 ? true : undefined;
      },
      60_000,
      2_000,
    );
    const first = page.locator('article[aria-label="viral alert"]').first();
    const title = (await first.locator('h2').textContent()) ?? '';
    expect(title).toMatch(/Complaint going viral \(score \d+\)/);
    // Only viral alerts under that filter.
    expect(await page.locator('article.alert').count()).toBe(await page.locator('article[aria-label="viral alert"]').count());
    await page.screenshot({ path: shot('alerts.png') });
    await first.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/\/alerts$/);
    expect(await page.locator('article h2', { hasText: title }).count()).toBe(0);
    await page.goto(`${base}/alerts?status=all`);
    expect(await page.locator('article', { hasText: title }).locator('p.muted').first().textContent()).toContain('acknowledged');
  });

  it('speaks Croatian to a user who chose it, with times in their time zone', async () => {
    await page.goto(`${base}/inbox`);
    await page.getByLabel('Language', { exact: true }).first().selectOption('hr');
    await page.getByLabel('Time zone', { exact: true }).fill('America/New_York');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/inbox/);
    expect(await page.locator('h1').textContent()).toBe('Pristigla pošta');
    expect(await page.locator('html').getAttribute('lang')).toBe('hr');
    await page.locator('tr[data-href] a').first().click();
    await page.waitForURL(/\/cases\/\d+/);
    expect(await page.getByRole('heading', { name: 'Zašto je označeno' }).count()).toBe(1);
    // Back to English for the rest.
    await page.getByLabel('Jezik', { exact: true }).first().selectOption('en');
    await page.getByRole('button', { name: 'Spremi' }).click();
    await page.waitForURL(/\/cases\/\d+/);
    expect(await page.getByRole('heading', { name: 'Why flagged' }).count()).toBe(1);
  });

  it('escalates chosen cases at once: x chooses the current row, a click on a box chooses without opening', async () => {
    await page.goto(`${base}/inbox?status=open`);
    const boxes = page.locator('tr[data-href] input[name="ids"]');
    await expect.poll(() => boxes.count()).toBeGreaterThan(2);
    const chosen = [await boxes.nth(0).getAttribute('value'), await boxes.nth(1).getAttribute('value')];
    await page.keyboard.press('x');
    await boxes.nth(1).click();
    expect(page.url()).toMatch(/\/inbox\?status=open$/);
    expect(await boxes.nth(0).isChecked()).toBe(true);
    await page.getByLabel('Chosen cases:').selectOption('escalate');
    await page.getByLabel('team', { exact: true }).fill('network');
    await page.getByLabel('note for the team').fill('Same outage in Split');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/notice=/);
    expect(await page.locator('#bulk-notice').textContent()).toBe('Done for 2 cases, 0 refused.');
    for (const id of chosen) {
      const state = (await (await page.request.get(`${base}/api/cases/${id}`)).json()) as { status: string; team: string };
      expect(state).toMatchObject({ status: 'escalated', team: 'network' });
    }
  });

  it('highlights the matched words in the queue and keeps saved views', async () => {
    await page.goto(`${base}/inbox?language=hr`);
    expect(await page.locator('tr[data-href] mark').count()).toBeGreaterThan(0);
    await page.getByLabel('name this view').fill('Hrvatski');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.goto(`${base}/inbox`);
    const chip = page.locator('nav[aria-label="Saved views"] a', { hasText: 'Hrvatski' });
    expect(await chip.count()).toBe(1);
    await chip.click();
    await page.waitForURL(/language=hr/);
    expect(await page.locator('select[name=language]').inputValue()).toBe('hr');
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/inbox`);
    expect(await page.locator('tr[data-href]').count()).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: shot('inbox-phone.png') });
  });
});
