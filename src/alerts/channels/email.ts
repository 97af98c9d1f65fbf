import type { Transporter } from 'nodemailer';
import { type AlertChannel, ChannelError, headline, summaryOf, type Targets, targetFor } from './types.ts';

/**
 * E-mail over SMTP (nodemailer): recipients per audience, and for escalations. nodemailer is loaded
 * at the first e-mail, not at start (13 MiB a deployment without e-mail alerts never needs).
 */
export function emailChannel(opts: { smtpUrl: string; from: string; to: Targets }): AlertChannel {
  let transporter: Promise<Transporter> | undefined;
  const transportOf = () => (transporter ??= import('nodemailer').then((m) => m.default.createTransport(opts.smtpUrl)));
  return {
    name: 'email',
    serves: (audience, round) => Boolean(targetFor(opts.to, { audience, round })),
    async send(m) {
      const to = targetFor(opts.to, m);
      if (!to) throw new ChannelError('no recipients for this audience', false);
      const summary = summaryOf(m);
      const fields = Object.entries(m.details)
        .filter(([k]) => k !== 'summary')
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
      try {
        const transport = await transportOf();
        await transport.sendMail({
          from: opts.from,
          to,
          subject: `[odziv] ${headline(m, false)}`.replace(/[\r\n]+/g, ' ').slice(0, 200),
          text: `${m.title}\n\n${m.caseUrl ? `Open the case in odziv: ${m.caseUrl}\n\n` : ''}${summary ? `${summary}\n\n` : ''}${fields.join('\n')}\n`,
          headers: {
            'X-Odziv-Alert-Id': String(m.id),
            ...(m.severity === 'urgent' || m.round === 'escalation' ? { Importance: 'high', 'X-Priority': '1' } : {}),
          },
        });
      } catch (e) {
        // SMTP 4xx is temporary, 5xx permanent; no code at all means the connection failed.
        const code = (e as { responseCode?: number }).responseCode;
        throw new ChannelError(`SMTP: ${(e as Error).message}`, code === undefined || (code >= 400 && code < 500));
      }
    },
    async close() {
      if (transporter) (await transporter).close();
    },
  };
}
