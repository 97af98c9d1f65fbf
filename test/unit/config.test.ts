import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

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
});
