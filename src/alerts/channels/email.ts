import nodemailer from 'nodemailer';
import { ChannelError, type AlertChannel } from './types.ts';

/** E-mail over SMTP (nodemailer): recipients per audience. */
export function emailChannel(opts: { smtpUrl: string; from: string; to: { marketing?: string; community_manager?: string } }): AlertChannel {
  const transport = nodemailer.createTransport(opts.smtpUrl);
  return {
    name: 'email',
    serves: (a) => Boolean(opts.to[a]),
    async send(m) {
      const to = opts.to[m.audience];
      if (!to) throw new ChannelError('no recipients for this audience', false);
      try {
        await transport.sendMail({
          from: opts.from,
          to,
          subject: `[odziv] ${m.title}`.slice(0, 200),
          text: `${m.title}\n\n${Object.entries(m.details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n')}\n`,
          headers: { 'X-Odziv-Alert-Id': String(m.id) },
        });
      } catch (e) {
        // SMTP 4xx is temporary, 5xx permanent; no code at all means the connection failed.
        const code = (e as { responseCode?: number }).responseCode;
        throw new ChannelError(`SMTP: ${(e as Error).message}`, code === undefined || (code >= 400 && code < 500));
      }
    },
    async close() {
      transport.close();
    },
  };
}
