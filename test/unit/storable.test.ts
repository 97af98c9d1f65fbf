import { describe, expect, it } from 'vitest';
import { storable, unstorablePath } from '../../src/storable.ts';

describe('storable: text PostgreSQL can hold', () => {
  it('names where a NUL or a lone surrogate is, and passes whole emoji', () => {
    expect(unstorablePath({ text: 'ok 🙂', tags: ['a', 'b'] })).toBeUndefined();
    expect(unstorablePath({ text: 'a\u0000b' })).toBe('text');
    expect(unstorablePath({ items: [{ name: 'x' }, { name: 'y\uD83D' }] })).toBe('items[1].name');
    expect(unstorablePath({ 'bad\u0000key': 1 })).toBe('bad\u0000key');
    expect(unstorablePath('\uDE42 alone')).toBe('(body)');
  });

  it('mends with U+FFFD, keys and nested values too, and leaves clean values (and dates) as they are', () => {
    const clean = { text: 'fine 🙂', at: new Date(0) };
    expect(storable(clean)).toBe(clean);
    // Cutting a message to size can split an emoji in two.
    expect(storable('failed: 🙂🙂'.slice(0, 9))).toBe('failed: \uFFFD');
    const mended = storable({ text: 'x\u0000y', at: new Date(0), raw: { 'k\u0000': ['\uDC00', 3, null] } });
    expect(mended).toEqual({ text: 'x\uFFFDy', at: new Date(0), raw: { 'k\uFFFD': ['\uFFFD', 3, null] } });
    expect(mended.at).toBeInstanceOf(Date);
  });
});
