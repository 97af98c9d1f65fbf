// Progressive enhancement only: every action also works as a plain form without this script.
const rows = [...document.querySelectorAll('tr[data-href]')];
let current = rows.findIndex((r) => r.classList.contains('selected'));
const select = (i) => {
  if (!rows.length) return;
  current = Math.max(0, Math.min(rows.length - 1, i));
  rows.forEach((r, n) => {
    r.classList.toggle('selected', n === current);
  });
  rows[current].focus();
};
const click = (selector) => document.querySelector(selector)?.click();
document.addEventListener('keydown', (e) => {
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target?.tagName);
  if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
  if (e.key === 'j') select(current + 1);
  else if (e.key === 'k') select(current - 1);
  else if (e.key === 'Enter' && rows[current]) location.href = rows[current].dataset.href;
  else if (e.key === 'x' && rows[current]) rows[current].querySelector('input[name="ids"]')?.click();
  else if (e.key === 'c') click('[data-key="c"]');
  else if (e.key === 'e') click('[data-key="e"]');
  else if (e.key === 'r') {
    e.preventDefault();
    document.querySelector('#reply-text')?.focus();
  } else if (e.key === '?') {
    const h = document.querySelector('#help');
    if (h) h.hidden = !h.hidden;
  } else return;
});
for (const [n, r] of rows.entries()) {
  r.addEventListener('click', (ev) => {
    if (ev.target.closest('a,button,form,input,label')) return;
    select(n);
    location.href = r.dataset.href;
  });
}
if (rows.length && current < 0) select(0);

// Character counter for the platform's limit, counted as the platform counts. X (twitter-text's
// configuration v3, which the server applies exactly): every URL is 23, an emoji sequence 2, letters
// up to U+10FF and common punctuation 1, anything else 2. Here it is a hint; the server decides.
const X_URL = /\bhttps?:\/\/\S+|\bwww\.\S+|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:com|net|org|info|io|co|me|eu|hr|rs|ba|si|de|at|uk)\b(?:\/\S*)?/giu;
// © and ® are emoji only as "©️" (with U+FE0F); alone they are Latin-1 text, 1.
const X_EMOJI =
  /(?:[\u00A9\u00AE]\uFE0F|(?![\u00A9\u00AE])\p{Extended_Pictographic})(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3/gu;
const xLength = (value) => {
  let n = 0;
  const rest = value
    .normalize('NFC')
    .replace(X_URL, () => {
      n += 23;
      return '';
    })
    .replace(X_EMOJI, () => {
      n += 2;
      return '';
    });
  for (const ch of rest) {
    const c = ch.codePointAt(0);
    n += c <= 0x10ff || (c >= 0x2000 && c <= 0x200d) || (c >= 0x2010 && c <= 0x201f) || (c >= 0x2032 && c <= 0x2037) ? 1 : 2;
  }
  return n;
};
const replyLength = (rule, value) => (rule === 'twitter-text' ? xLength(value) : [...value].length);
// The browser test compares this count with twitter-text on the server.
window.odziv = { replyLength };
const text = document.querySelector('#reply-text');
const counter = document.querySelector('#reply-count');
if (text && counter) {
  const limit = Number(counter.dataset.limit);
  // Counted as sent: the queue adds the responder's signature on its own line unless it is there.
  const sig = counter.dataset.signature ?? '';
  const signed = (v) => {
    const t = v.trim();
    return !t || !sig || t.endsWith(sig) ? t : `${t}\n${sig}`;
  };
  const update = () => {
    const n = replyLength(counter.dataset.count, signed(text.value));
    counter.textContent = `${n} / ${limit}`;
    counter.classList.toggle('error', n > limit);
  };
  text.addEventListener('input', update);
  update();
}

// SLA countdowns tick without a reload.
const fmt = (m) => (m < 60 ? `${m} min` : m < 2880 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`);
setInterval(() => {
  for (const el of document.querySelectorAll('[data-due]')) {
    const mins = Math.round((new Date(el.dataset.due).getTime() - Date.now()) / 60000);
    el.textContent = mins >= 0 ? `${el.dataset.dueIn} ${fmt(mins)}` : `${el.dataset.overdue} ${fmt(-mins)}`;
    el.classList.toggle('late', mins < 0);
  }
}, 30000);

// New cases appear without a reload: the inbox listens to the server's event stream.
// New cases show as a banner ("3 new cases — show") that the person follows when they are ready:
// the page never reloads under someone typing a search, a note or choosing cases.
const banner = document.getElementById('new-cases');
if (banner && 'EventSource' in window) {
  const es = new EventSource('/inbox/events');
  const plural = new Intl.PluralRules(banner.dataset.lang || 'en');
  let waiting = 0;
  es.addEventListener('cases', (e) => {
    waiting += Number(e.data) || 1;
    const form = plural.select(waiting);
    const template = banner.dataset[form] || banner.dataset.other;
    const link = banner.querySelector('a');
    link.textContent = template.replace('{n}', String(waiting));
    link.href = location.href;
    banner.hidden = false;
  });
}
