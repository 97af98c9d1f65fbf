import type { PostFacts } from '../../rules/index.ts';

/** What the rules know of a post besides its analysis: an ordinary customer's post on X, unless told otherwise. */
export const postFacts = (over: Partial<PostFacts> = {}): PostFacts => ({
  platform: 'x',
  text: '',
  isOwn: false,
  isRepost: false,
  followers: 100,
  verified: false,
  engagement: 0,
  engagementPerHour: 0,
  authorComplaintTimes: [],
  now: new Date('2026-11-23T10:00:00Z'),
  ...over,
});
