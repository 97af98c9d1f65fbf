/** JSON shape of a value: what `JSON.stringify` makes of Dates, at the type level too. */
export type Jsonify<T> = T extends Date ? string : T extends Array<infer U> ? Array<Jsonify<U>> : T extends object ? { [K in keyof T]: Jsonify<T[K]> } : T;

/**
 * A value as its JSON will read, for the response schemas' types: `c.json` stringifies it, and
 * JSON.stringify writes Dates as ISO strings, so nothing needs doing at run time. (It once
 * round-tripped every body through JSON.parse(JSON.stringify()): two extra passes over each answer.)
 */
export function jsonify<T>(value: T): Jsonify<T> {
  return value as unknown as Jsonify<T>;
}
