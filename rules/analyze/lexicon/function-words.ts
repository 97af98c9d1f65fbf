// biome-ignore-all format: word tables read best packed, many words to a line
import { cyrillicToLatin, fold } from '../normalize.ts';

/**
 * Words that carry grammar, not meaning: the model may weigh them ("je", "the"), but a responder
 * reading "why negative?" learns nothing from them, so evidence leaves out terms made only of
 * these. Negators, "why", "still", "again" and time words are not here: they are reasons.
 */
const WORDS = `
a an the this that these those it its it's is are was were be been being am do does did doing have has had having
i i'm im me my mine we our ours you your yours he him his she her they them their to of in on at for with by from as
and or so if than then there here what which who whom whose will would can could should may might shall must just
also very about into over up out s t
je su sam si smo ste biti bio bila bilo bili bile bude budu će ću ćeš ćemo ćete bi bih bismo biste se si mi ti me
te ga ju nju nas vas ih im mu joj ja on ona ono vi oni one i a ili da li u na za od do iz s sa o po pri kod prema
kroz nad pod to taj ta ovaj ova ovo onaj ona ono koji koja koje kojeg kojem što šta sto sta kako kao jer pa ni
ako dok tu tamo ovdje ovde neki neka neko nešto nesto svoj svoja svoje moj moja moje tvoj tvoja vaš vaša naš naša
`;

const FUNCTION_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean).map((w) => fold(w.toLowerCase())));

const known = new Map<string, boolean>();

/** True when every word of an evidence term ("je", "danas je" → false, "se je" → true) is a function word. */
export function onlyFunctionWords(term: string): boolean {
  let only = known.get(term);
  if (only === undefined) {
    const words = cyrillicToLatin(term.toLowerCase()).split(/\s+/).filter(Boolean);
    only = words.length > 0 && words.every((w) => FUNCTION_WORDS.has(fold(w)));
    if (known.size >= 20_000) known.clear(); // bounded: post text is unbounded
    known.set(term, only);
  }
  return only;
}
