import { createHmac } from 'node:crypto';
import { type AlertChannel, ChannelError, headline, summaryOf, type Targets, targetFor } from './types.ts';

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

/**
 * Slack reads `<…>` as links and mentions (`<!channel>` pings everyone) and `&` as an entity:
 * post text is a stranger's, so those three are escaped as Slack documents.
 */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Slack-compatible incoming webhook: `{ "text": … }`. One URL per audience (community managers fall
 * back to marketing's), and an escalation URL for alerts nobody acknowledged.
 */
export function slackChannel(urls: Targets, timeoutMs = 5_000): AlertChannel {
  return {
    name: 'slack',
    serves: (audience, round) => Boolean(targetFor(urls, { audience, round }, true)),
    async send(m) {
      const url = targetFor(urls, m, true);
      if (!url) throw new ChannelError('no webhook URL for this audience', false);
      const link = typeof m.details.url === 'string' && /^https?:\/\//.test(m.details.url) ? `\n${slackEscape(m.details.url)}` : '';
      const summary = summaryOf(m);
      const open = m.caseUrl ? `\nodziv: ${slackEscape(m.caseUrl)}` : '';
      await post(url, JSON.stringify({ text: `${slackEscape(headline(m))}${link}${open}${summary ? `\n${slackEscape(summary)}` : ''}` }), {}, timeoutMs);
    },
  };
}

/** Generic webhook: the alert as JSON, signed `x-odziv-signature: sha256=<hex HMAC of the body>`. */
export function signedWebhookChannel(url: string, secret: string, timeoutMs = 5_000): AlertChannel {
  return {
    name: 'webhook',
    serves: () => true,
    async send(m) {
      const body = JSON.stringify({
        id: m.id,
        kind: m.kind,
        audience: m.audience,
        severity: m.severity,
        round: m.round,
        title: m.title,
        details: m.details,
        createdAt: m.createdAt.toISOString(),
        ...(m.caseUrl ? { caseUrl: m.caseUrl } : {}),
      });
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      await post(url, body, { 'x-odziv-signature': signature, 'x-odziv-alert-id': String(m.id) }, timeoutMs);
    },
  };
}
