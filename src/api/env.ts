import type { AuthUser } from '../auth/users.ts';

/** Per-request values the middleware sets. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    user?: AuthUser;
  };
}
