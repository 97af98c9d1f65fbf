import { describe, expect, it } from 'vitest';
import { formatCount, t } from '../../src/ui/i18n.ts';

describe("the inbox in the user's language", () => {
  it('groups the digits of a count as each language does', () => {
    expect(formatCount(213887, 'en')).toBe('213,887');
    expect(formatCount(213887, 'hr')).toBe('213.887');
    expect(formatCount(213887, 'sr')).toBe('213.887');
    expect(formatCount(12, 'hr')).toBe('12');
  });

  it('names things in the chosen language', () => {
    expect(t('hr', 'followers')).toBe('pratitelja');
    expect(t('sr', 'followers')).toBe('pratilaca');
  });
});
