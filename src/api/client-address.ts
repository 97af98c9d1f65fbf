import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address a request came from, as the socket tells it (undefined in-process, as in tests).
 * Behind a proxy this is the proxy's: trusting a forwarded address is ODZIV_TRUST_PROXY's to decide.
 */
export function clientAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address ?? undefined;
  } catch {
    return undefined;
  }
}
