/** What a channel delivers: one alert, already decided to go to this audience. */
export interface AlertMessage {
  id: number;
  kind: 'rule' | 'viral' | 'spike' | 'sla' | 'stream';
  audience: 'marketing' | 'community_manager';
  title: string;
  details: Record<string, unknown>;
  createdAt: Date;
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
  /** Whether this channel is set up for the audience (a webhook or recipients for it). */
  serves(audience: AlertMessage['audience']): boolean;
  send(message: AlertMessage): Promise<void>;
  close?(): Promise<void>;
}
