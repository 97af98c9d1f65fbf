/**
 * Where to go after logging in: only a path of this site. Browsers read a backslash as a slash and
 * drop tabs and newlines, so `/\\evil.example` and `/\t/evil.example` would leave it; anything that,
 * resolved against this origin, lands elsewhere or carries such characters goes to the inbox.
 */
export function safeNext(n: string | undefined): string {
  if (!n?.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(n)) return '/inbox';
  const base = 'http://odziv.invalid';
  const u = new URL(n, base);
  return u.origin === base && n.startsWith('/') && !n.startsWith('//') ? `${u.pathname}${u.search}${u.hash}` : '/inbox';
}
