import { createHmac } from 'node:crypto';
import { ChannelError, type AlertChannel, type AlertMessage } from './types.ts';

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new ChannelError(`${new URL(url).host}: ${(e as Error).message}`, true);
  }
  if (res.ok) return;
  const text = (await res.text().catch(() => '')).slice(0, 200);
  throw new ChannelError(`${new URL(url).host}: HTTP ${res.status} ${text}`, res.status >= 500 || res.status === 429);
}

const line = (m: AlertMessage) => `${m.kind === 'viral' ? '🔥' : m.kind === 'sla' ? '⏰' : m.kind === 'stream' ? '⚠️' : '🔔'} ${m.title}`;

/** Slack-compatible incoming webhook: `{ "text": … }`. One URL per audience (CM falls back to marketing's). */
export function slackChannel(urls: { marketing?: string; community_manager?: string }, timeoutMs = 5_000): AlertChannel {
  const urlFor = (a: AlertMessage['audience']) => urls[a] ?? urls.marketing;
  return {
    name: 'slack',
    serves: (a) => Boolean(urlFor(a)),
    async send(m) {
      const url = urlFor(m.audience);
      if (!url) throw new ChannelError('no webhook URL for this audience', false);
      const link = typeof m.details.url === 'string' && m.details.url.startsWith('http') ? `\n${m.details.url}` : '';
      await post(url, JSON.stringify({ text: `${line(m)}${link}` }), {}, timeoutMs);
    },
  };
}

/** Generic webhook: the alert as JSON, signed `x-odziv-signature: sha256=<hex HMAC of the body>`. */
export function signedWebhookChannel(url: string, secret: string, timeoutMs = 5_000): AlertChannel {
  return {
    name: 'webhook',
    serves: () => true,
    async send(m) {
      const body = JSON.stringify({ id: m.id, kind: m.kind, audience: m.audience, title: m.title, details: m.details, createdAt: m.createdAt.toISOString() });
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      await post(url, body, { 'x-odziv-signature': signature, 'x-odziv-alert-id': String(m.id) }, timeoutMs);
    },
  };
}
