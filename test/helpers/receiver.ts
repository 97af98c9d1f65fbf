import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach } from 'vitest';

/** An HTTP endpoint on loopback that records what is posted to it and answers with planned statuses. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
export function receiver(plan: number[] = []) {
  const got: Received[] = [];
  let server: Server;
  return {
    got,
    plan,
    async start() {
      server = createServer(async (req, res) => {
        let body = '';
        for await (const c of req) body += c;
        got.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(plan.shift() ?? 200).end('ok');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A fresh receiver for every test of the calling `describe` (started before, stopped after). */
export function useReceiver(): { readonly hook: ReturnType<typeof receiver>; readonly url: string } {
  const state = {} as { hook: ReturnType<typeof receiver>; url: string };
  beforeEach(async () => {
    state.hook = receiver();
    state.url = await state.hook.start();
  });
  afterEach(() => state.hook.stop());
  return state;
}
