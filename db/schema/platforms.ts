/**
 * The platforms a stream, a post or a rule can name, and the engagement a post carries: the
 * vocabulary the schema stores, below every layer that uses it (adapters, rules, the queue).
 */
export const PLATFORMS = ['x', 'facebook', 'instagram', 'mastodon', 'bluesky', 'replay'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface EngagementMetrics {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views?: number;
}
