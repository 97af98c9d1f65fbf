import { describe, expect, it } from 'vitest';
import { Highlighted } from '../../src/ui/layout.tsx';

const render = (text: string, terms: string[], positive?: string[]) => String(<Highlighted text={text} terms={terms} positive={positive} />);

describe('highlighting the evidence in a post', () => {
  it('marks whole words and phrases, case-insensitively, never parts of words', () => {
    expect(render('Ovo je neizdrživo, nitko se ne javlja', ['ne', 'nitko se ne javlja'])).toBe('Ovo je neizdrživo, <mark>nitko se ne javlja</mark>');
    expect(render('Ne radi. Ne!', ['ne'])).toBe('<mark>Ne</mark> radi. <mark>Ne</mark>!');
    expect(render('Čekam već danima', ['čekam'])).toBe('<mark>Čekam</mark> već danima');
  });

  it('marks the words of a Cyrillic post as written, from the evidence that names them in Latin', () => {
    expect(render('Ужасна услуга, нико се не јавља!', ['užasna', 'niko se ne javlja'])).toBe('<mark>Ужасна</mark> услуга, <mark>нико се не јавља</mark>!');
    // Two Latin letters from one Cyrillic one ("љ" → "lj") map back to that letter.
    expect(render('Љути смо, Његош', ['ljuti', 'njegoš'])).toBe('<mark>Љути</mark> смо, <mark>Његош</mark>');
    expect(render('Ne radi, а <b>интернет</b> не ради', ['ne radi'])).toBe('<mark>Ne radi</mark>, а &lt;b&gt;интернет&lt;/b&gt; <mark>не ради</mark>');
    expect(render('нерадим', ['ne'])).toBe('нерадим');
  });

  it('marks positive words apart from the reasons a post was flagged', () => {
    expect(render('A 39€ late fee on top. Worst company', ['late fee', 'worst'], ['top'])).toBe(
      'A 39€ <mark>late fee</mark> on <mark class="pos">top</mark>. <mark>Worst</mark> company',
    );
    // A word that is both (a flag quotes it) is marked as a reason.
    expect(render('Super, opet ne radi', ['super', 'ne radi'], ['super'])).toBe('<mark>Super</mark>, opet <mark>ne radi</mark>');
    expect(render('Хвала, супер', [], ['hvala'])).toBe('<mark class="pos">Хвала</mark>, супер');
  });

  it('escapes the post and the terms: nothing becomes markup', () => {
    expect(render('<img src=x onerror=alert(1)> ne radi', ['ne radi', '<img'])).toBe('<mark>&lt;img</mark> src=x onerror=alert(1)&gt; <mark>ne radi</mark>');
  });
});
