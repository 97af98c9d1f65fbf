// biome-ignore-all format: word tables read best packed, many words to a line
/** Emoji and emoticons as sentiment signals (weights −3 … +3). Ambiguous ones (😂, 🙃) are left out. */
export const EMOJI_SENTIMENT: Record<string, number> = {
  '😡': -3, '🤬': -3, '😠': -3, '😤': -2, '👎': -2, '💩': -2, '😞': -2, '😢': -2, '😭': -2, '😒': -2, '🙄': -2,
  '😩': -2, '😫': -2, '😖': -2, '😣': -2, '😔': -2, '☹': -2, '🙁': -2, '😕': -1, '🤦': -2, '🤮': -3, '🤢': -2,
  '💔': -2, '😑': -1, '😐': -1, '🖕': -3, '😱': -1, '😰': -2, '😥': -1,
  '😀': 2, '😃': 2, '😄': 2, '😁': 2, '😊': 2, '🙂': 1, '😍': 3, '🥰': 3, '😘': 2, '❤': 3, '💙': 2, '💚': 2,
  '💜': 2, '🧡': 2, '💛': 2, '👍': 2, '🙏': 1, '👏': 2, '🎉': 2, '🥳': 2, '😎': 2, '🤩': 3, '💯': 2, '✨': 1,
  '🌟': 2, '⭐': 1, '🔥': 1, '💪': 1, '😇': 2, '🤗': 2, '☺': 2,
};

export const EMOTICON_SENTIMENT: Record<string, number> = {
  ':)': 2, ':-)': 2, ':d': 2, ':-d': 2, ';)': 1, ';-)': 1, '=)': 2, ':p': 1, ':-p': 1, '<3': 3, 'xd': 2, ':]': 2, '^^': 2,
  ':(': -2, ':-(': -2, ":'(": -2, ':/': -1, ':-/': -1, ':|': -1, '>:(': -3, ':[': -2, ':\\': -1, ':o': -1,
};

/** Emoji that turn the praise around them into sarcasm ("Super kvaliteta 🙄"). */
export const SARCASM_EMOJI: ReadonlySet<string> = new Set(['🙄', '😒', '😑', '🤦']);
