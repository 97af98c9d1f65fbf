import type { AlertKind } from '../../../db/schema/index.ts';

export type Audience = 'marketing' | 'community_manager';
/** The first sending of an alert, or its escalation when nobody acknowledged it in time. */
export type Round = 'initial' | 'escalation';

/** What a channel delivers: one alert, already decided to go to this audience. */
export interface AlertMessage {
  id: number;
  kind: AlertKind;
  audience: Audience;
  severity: 'normal' | 'urgent';
  round: Round;
  title: string;
  details: Record<string, unknown>;
  createdAt: Date;
  /** odziv's page of the case the alert is about, where it is answered (when ODZIV_PUBLIC_URL is set). */
  caseUrl?: string;
}

export const CHANNELS = ['slack', 'webhook', 'email'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Failures say whether trying again can help (a 5xx or time-out) or not (a 4xx, a bad address). */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface AlertChannel {
  readonly name: ChannelName;
  /** Whether this channel is set up for the audience (a webhook or recipients for it) in this round. */
  serves(audience: Audience, round: Round): boolean;
  send(message: AlertMessage): Promise<void>;
  close?(): Promise<void>;
}

/** Where a channel sends: per audience, with optional escalation contacts (else the audience's own). */
export interface Targets {
  marketing?: string;
  community_manager?: string;
  escalation?: string;
}

export function targetFor(t: Targets, m: Pick<AlertMessage, 'audience' | 'round'>, fallbackToMarketing = false): string | undefined {
  const own = t[m.audience] ?? (fallbackToMarketing ? t.marketing : undefined);
  return m.round === 'escalation' ? (t.escalation ?? own) : own;
}

/** The one-line headline every channel starts with. */
export function headline(m: AlertMessage, withIcon = true): string {
  const icon = { viral: '🔥', spike: '📈', sla: '⏰', stream: '⚠️', digest: '📰', rule: '🔔' }[m.kind];
  const prefix = m.round === 'escalation' ? 'ESCALATED (not acknowledged): ' : m.severity === 'urgent' ? 'URGENT: ' : '';
  return `${withIcon ? `${icon} ` : ''}${prefix}${m.title}`;
}

/** A longer text some alerts carry (the digest), shown under the headline. */
export const summaryOf = (m: AlertMessage): string | undefined => (typeof m.details.summary === 'string' ? m.details.summary : undefined);
