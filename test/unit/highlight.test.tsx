import { describe, expect, it } from 'vitest';
import { Highlighted } from '../../src/ui/layout.tsx';

const render = (text: string, terms: string[]) => String(<Highlighted text={text} terms={terms} />);

describe('highlighting the evidence in a post', () => {
  it('marks whole words and phrases, case-insensitively, never parts of words', () => {
    expect(render('Ovo je neizdrživo, nitko se ne javlja', ['ne', 'nitko se ne javlja'])).toBe('Ovo je neizdrživo, <mark>nitko se ne javlja</mark>');
    expect(render('Ne radi. Ne!', ['ne'])).toBe('<mark>Ne</mark> radi. <mark>Ne</mark>!');
    expect(render('Čekam već danima', ['čekam'])).toBe('<mark>Čekam</mark> već danima');
  });

  it('escapes the post and the terms: nothing becomes markup', () => {
    expect(render('<img src=x onerror=alert(1)> ne radi', ['ne radi', '<img'])).toBe('<mark>&lt;img</mark> src=x onerror=alert(1)&gt; <mark>ne radi</mark>');
  });
});
