// Progressive enhancement only: every action also works as a plain form without this script.
const rows = [...document.querySelectorAll('tr[data-href]')];
let current = rows.findIndex((r) => r.classList.contains('selected'));
const select = (i) => {
  if (!rows.length) return;
  current = Math.max(0, Math.min(rows.length - 1, i));
  rows.forEach((r, n) => r.classList.toggle('selected', n === current));
  rows[current].focus();
};
const click = (selector) => document.querySelector(selector)?.click();
document.addEventListener('keydown', (e) => {
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target?.tagName);
  if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
  if (e.key === 'j') select(current + 1);
  else if (e.key === 'k') select(current - 1);
  else if (e.key === 'Enter' && rows[current]) location.href = rows[current].dataset.href;
  else if (e.key === 'c') click('[data-key="c"]');
  else if (e.key === 'e') click('[data-key="e"]');
  else if (e.key === 'r') { e.preventDefault(); document.querySelector('#reply-text')?.focus(); }
  else if (e.key === '?') { const h = document.querySelector('#help'); if (h) h.hidden = !h.hidden; }
  else return;
});
rows.forEach((r, n) => r.addEventListener('click', (ev) => { if (ev.target.closest('a,button,form')) return; select(n); location.href = r.dataset.href; }));
if (rows.length && current < 0) select(0);

// Character counter for the platform's limit.
const text = document.querySelector('#reply-text');
const counter = document.querySelector('#reply-count');
if (text && counter) {
  const limit = Number(counter.dataset.limit);
  const update = () => { const n = [...text.value].length; counter.textContent = `${n} / ${limit}`; counter.classList.toggle('error', n > limit); };
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
if (document.querySelector('[data-live-inbox]') && 'EventSource' in window) {
  const es = new EventSource('/inbox/events');
  es.addEventListener('cases', () => { if (!document.querySelector('tr.selected:focus-within textarea')) location.reload(); });
}
