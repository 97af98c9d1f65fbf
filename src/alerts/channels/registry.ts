import type { Config } from '../../config.ts';
import { emailChannel } from './email.ts';
import { signedWebhookChannel, slackChannel } from './http.ts';
import type { AlertChannel, ChannelName } from './types.ts';

/** Every channel has an entry, so the compiler notices one nobody wired up. */
const FACTORIES = {
  slack: (c) =>
    c.ALERT_WEBHOOK_URL || c.ALERT_WEBHOOK_URL_CM
      ? slackChannel({ marketing: c.ALERT_WEBHOOK_URL, community_manager: c.ALERT_WEBHOOK_URL_CM, escalation: c.ALERT_WEBHOOK_URL_ESCALATION })
      : undefined,
  webhook: (c) => (c.ALERT_SIGNED_WEBHOOK_URL && c.ALERT_WEBHOOK_SECRET ? signedWebhookChannel(c.ALERT_SIGNED_WEBHOOK_URL, c.ALERT_WEBHOOK_SECRET) : undefined),
  email: (c) =>
    c.SMTP_URL && (c.ALERT_EMAIL_MARKETING || c.ALERT_EMAIL_CM)
      ? emailChannel({
          smtpUrl: c.SMTP_URL,
          from: c.ALERT_EMAIL_FROM,
          to: { marketing: c.ALERT_EMAIL_MARKETING, community_manager: c.ALERT_EMAIL_CM, escalation: c.ALERT_EMAIL_ESCALATION },
        })
      : undefined,
} satisfies Record<ChannelName, (c: Config) => AlertChannel | undefined>;

export type ChannelSet = Partial<Record<ChannelName, AlertChannel>>;

export function createChannels(config: Config): ChannelSet {
  const out: ChannelSet = {};
  for (const [name, make] of Object.entries(FACTORIES) as Array<[ChannelName, (c: Config) => AlertChannel | undefined]>) {
    const ch = make(config);
    if (ch) out[name] = ch;
  }
  return out;
}
