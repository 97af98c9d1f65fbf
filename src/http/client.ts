import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { SESSION_COOKIE, SESSION_HOURS } from '../auth/sessions.ts';
import type { Config } from '../config.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Who is on the other end of a request, and whether they reached odziv over https. */
export interface Client {
  /** The client's address (undefined in-process, as in tests). */
  address: string | undefined;
  https: boolean;
}

const socketAddress = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    return undefined;
  }
};

/**
 * The socket's peer, unless it is a proxy ODZIV_TRUST_PROXY names: then the nearest address in
 * X-Forwarded-For that is not one of those proxies, and the scheme X-Forwarded-Proto gives. Headers
 * from anyone else are ignored, so a client cannot claim another address to dodge the login back-off.
 */
export function client(c: Context, config: Pick<Config, 'ODZIV_TRUST_PROXY' | 'ODZIV_PUBLIC_URL'>): Client {
  const trusted = config.ODZIV_TRUST_PROXY;
  const peer = socketAddress(c);
  const trusts = (a: string | undefined) => !!a && (trusted.includes(a) || (trusted.includes('loopback') && LOOPBACK.has(a)));
  // Published at an https address, odziv is only ever meant to be reached over https.
  const direct = { address: peer, https: new URL(c.req.url).protocol === 'https:' || !!config.ODZIV_PUBLIC_URL?.startsWith('https:') };
  if (!trusts(peer)) return direct;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => isIP(h));
  let address = peer;
  while (hops.length && trusts(address)) address = hops.pop();
  const proto = (c.req.header('x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase();
  return { address, https: proto === 'https' || direct.https };
}

/** The session cookie: never readable by scripts, and only ever sent over https when odziv is reached over https. */
export function setSessionCookie(c: Context, token: string, https: boolean): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: https, maxAge: SESSION_HOURS * 3600 });
}
