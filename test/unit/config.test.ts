import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** Every problem loadConfig names for an environment, one per line ('' when it is fine). */
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    return (e as ConfigError).problems.join('\n');
  }
};

describe('configuration', () => {
  it('takes the address people open odziv at, without a trailing slash, and names a wrong one', () => {
    expect(loadConfig({ ODZIV_PUBLIC_URL: 'https://odziv.vedra.hr/' }).ODZIV_PUBLIC_URL).toBe('https://odziv.vedra.hr');
    expect(loadConfig({}).ODZIV_PUBLIC_URL).toBeUndefined();
    for (const bad of ['odziv.vedra.hr', 'ftp://odziv.vedra.hr']) {
      let err: unknown;
      try {
        loadConfig({ ODZIV_PUBLIC_URL: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n'), bad).toContain('ODZIV_PUBLIC_URL:');
    }
  });

  it('takes a blank value as unset, not as 0 (a random port, alerts never escalated)', () => {
    const c = loadConfig({ PORT: ' ', ALERT_ESCALATE_AFTER_MIN: '\t', X_BEARER_TOKEN: ' ' });
    expect(c.PORT).toBe(3000);
    expect(c.ALERT_ESCALATE_AFTER_MIN).toBe(30);
    expect(c.platforms).toEqual([]);
  });

  it('names a webhook that is not http(s) and e-mail recipients that are not addresses', () => {
    expect(problems({ ALERT_WEBHOOK_URL: 'ftp://hooks.vedra.hr/x' })).toContain('ALERT_WEBHOOK_URL: expected an http:// or https:// URL');
    expect(problems({ ALERT_EMAIL_CM: 'true' })).toContain('ALERT_EMAIL_CM: expected e-mail addresses separated by commas');
    expect(problems({ ALERT_EMAIL_FROM: 'a@vedra.hr, b@vedra.hr' })).toContain('ALERT_EMAIL_FROM: expected one e-mail address');
    const c = loadConfig({
      ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
      ALERT_EMAIL_MARKETING: 'ana@vedra.hr, Marko Kovač <marko@vedra.hr>',
      ALERT_EMAIL_FROM: 'odziv <odziv@vedra.hr>',
    });
    expect(c.ALERT_EMAIL_MARKETING).toBe('ana@vedra.hr, Marko Kovač <marko@vedra.hr>');
  });
});

describe('configuration checked before anything starts', () => {
  it('parses every cron expression, naming the variable and what is wrong', () => {
    for (const name of [
      'ODZIV_POLL_CRON',
      'ODZIV_OUTBOX_CRON',
      'ODZIV_METRICS_CRON',
      'ODZIV_SLA_CRON',
      'ODZIV_ALERTS_CRON',
      'ODZIV_DIGEST_CRON',
      'ODZIV_SPIKES_CRON',
      'ODZIV_RETENTION_CRON',
    ]) {
      expect(problems({ [name]: 'every minute' }), name).toContain(`${name}: expected a cron expression`);
      expect(problems({ [name]: '61 * * * *' }), name).toContain('61 is a invalid expression for minute');
      expect(problems({ [name]: '*/10 * * * * *' }), name).toBe('');
    }
  });

  it('parses SMTP_URL as a URL and keeps its password, written or decoded, among the secrets', () => {
    expect(problems({ SMTP_URL: 'smtp://user:p%zz@' })).toContain('SMTP_URL: expected smtp://');
    expect(problems({ SMTP_URL: 'http://mail.example.com' })).toContain('SMTP_URL: expected smtp:// or smtps://');
    const c = loadConfig({
      SMTP_URL: 'smtps://odziv:s%40cret-pass@mail.example.com:465',
      ALERT_SIGNED_WEBHOOK_URL: 'https://hooks.example.com/t/abc123',
      ALERT_WEBHOOK_SECRET: 'sixteen-chars-or-more',
    });
    expect(c.secrets).toContain('s@cret-pass');
    expect(c.secrets).toContain('https://hooks.example.com/t/abc123');
  });

  it('reads the trusted proxies as addresses or loopback', () => {
    expect(loadConfig({ ODZIV_TRUST_PROXY: 'loopback, 10.0.0.5,::1' }).ODZIV_TRUST_PROXY).toEqual(['loopback', '10.0.0.5', '::1']);
    expect(loadConfig({}).ODZIV_TRUST_PROXY).toEqual([]);
    expect(problems({ ODZIV_TRUST_PROXY: 'my-proxy' })).toContain('ODZIV_TRUST_PROXY');
  });

  it('checks odziv’s variables and every configured platform’s in one schema: one start-up names them all', () => {
    const named = problems({
      PORT: 'eighty',
      X_BEARER_TOKEN: 'short',
      X_APP_KEY: 'key',
      MASTODON_ACCESS_TOKEN: 'a'.repeat(24),
      META_PAGE_ID: '123',
      BLUESKY_SERVICE: 'https://bsky.social',
    }).split('\n');
    expect(named.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'X_BEARER_TOKEN',
      'X_BRAND_USERNAME',
      'META_PAGE_ACCESS_TOKEN',
      'META_APP_SECRET',
      'META_VERIFY_TOKEN',
      'MASTODON_URL',
      // Checked across variables, beside every field that is wrong.
      'X_APP_SECRET',
      'X_ACCESS_TOKEN',
      'X_ACCESS_SECRET',
    ]);
    // A platform's variables configure its adapter, and stay out of odziv's own settings.
    const c = loadConfig({ X_BEARER_TOKEN: 'b'.repeat(40), X_BRAND_USERNAME: '@VedraTel', X_RATE_BUDGET: '90' });
    expect(c.platforms.map((p) => p.platform)).toEqual(['x']);
    expect(c.secrets).toContain('b'.repeat(40));
    expect(Object.keys(c).filter((k) => k.startsWith('X_'))).toEqual([]);
  });
});
