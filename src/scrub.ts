/**
 * Error text from platforms, SMTP servers and webhooks is stored on streams, replies and alert
 * deliveries, shown to every role and logged; a server that echoes a request back would hand out
 * the credentials in it. Everything written from an error passes through `scrub` first: every
 * configured secret (as written and URL-encoded), URL userinfo, credential-looking query values,
 * token-like path segments (Slack webhook paths) and bearer tokens become [redacted].
 */
const R = '[redacted]';
let configured: string[] = [];

/** The deployment's secrets (Config.secrets), set once at start-up. */
export function setSecrets(secrets: readonly string[]): void {
  configured = [...new Set(secrets.filter((s) => s.length >= 6).flatMap((s) => [s, encodeURIComponent(s)]))].sort((a, b) => b.length - a.length);
}

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
const QUERY = /([?&](?:access_token|token|key|api_key|apikey|secret|client_secret|password|pass|pwd|sig|signature|auth|code)=)[^&#\s"'<>]+/gi;
const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
// In a URL's path, a segment of 16+ letters, digits, - or _ mixing letters and digits: a token, not a word or an id.
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;
const isToken = (segment: string) => TOKEN_SEGMENT.test(segment) && /[A-Za-z]/.test(segment) && /\d/.test(segment);

/** Each URL's path segments that look like tokens become [redacted]: one pass over each URL, linear in the text. */
function scrubPaths(text: string): string {
  return text.replace(URL_TEXT, (url) => {
    const cut = url.search(/[?#]/);
    const [head, tail] = cut < 0 ? [url, ''] : [url.slice(0, cut), url.slice(cut)];
    const [scheme, rest = ''] = head.split('://');
    const [host, ...path] = rest.split('/');
    // A token may end the URL followed by punctuation (a colon, a parenthesis): keep that outside.
    const segments = path.map((seg) => {
      const m = /^([A-Za-z0-9_-]*)(.*)$/.exec(seg)!;
      return isToken(m[1]!) ? `${R}${m[2]}` : seg;
    });
    return `${scheme}://${[host, ...segments].join('/')}${tail}`;
  });
}

const BEARER = /\b(bearer|token|basic)(\s+|=|:\s*)[A-Za-z0-9._~+/=-]{8,}/gi;

export function scrub(text: string, secrets: readonly string[] = configured): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(R);
  out = out.replace(USERINFO, `$1${R}@`).replace(QUERY, `$1${R}`).replace(BEARER, `$1$2${R}`);
  return scrubPaths(out);
}
