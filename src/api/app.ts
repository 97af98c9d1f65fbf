import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { uiRoutes } from '../ui/routes.tsx';
import { authenticate } from './auth.ts';
import type { ApiEnv } from './env.ts';
import { errorBody, onError } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { alertRoutes } from './routes/alerts.ts';
import { analyzeRoutes } from './routes/analyze.ts';
import { authRoutes } from './routes/auth.ts';
import { caseActionRoutes } from './routes/case-actions.ts';
import { caseRoutes } from './routes/cases.ts';
import { healthRoutes } from './routes/health.ts';
import { noticeRoutes } from './routes/notices.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { replayRoutes } from './routes/replay.ts';
import { ruleRoutes } from './routes/rules.ts';
import { streamRoutes } from './routes/streams.ts';
import { userRoutes } from './routes/users.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { refuseUnstorableInput } from './storable-input.ts';

const PUBLIC_API = new Set(['/api/auth/token', '/api/openapi.json']);

/** The HTTP application: JSON API under /api, health at /health. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('*', requestId({ limitLength: 64 }));
  app.use('*', async function requestLog(c, next) {
    const started = performance.now();
    await next();
    const user = c.get('user');
    // One line per request; never the query string (it may carry cursors or search text).
    deps.log.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        userId: user?.id,
      },
      'request',
    );
  });
  app.use('*', secureHeaders({ xFrameOptions: 'DENY' }));
  // Every body is read into memory, the login form's too: 64 KiB for all but webhooks (1 MiB, below).
  const small = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) =>
      c.req.path.startsWith('/api/') || c.req.path.startsWith('/auth/')
        ? c.json(errorBody(c, 'PAYLOAD_TOO_LARGE', 'body: larger than 64 KiB'), 413)
        : c.text('The form is larger than 64 KiB.', 413),
  });
  app.use('*', (c, next) => (c.req.path.startsWith('/webhooks/') ? next() : small(c, next)));
  // Webhooks are verified on their raw bytes; what they carry is mended at ingest instead.
  app.use('*', (c, next) => (c.req.path.startsWith('/webhooks/') ? next() : refuseUnstorableInput(c, next)));
  const auth = authenticate(deps.database);
  app.use('/api/*', async (c, next) => (PUBLIC_API.has(c.req.path) ? next() : auth(c, next)));

  app.route('/', healthRoutes(deps));
  app.route('/', authRoutes(deps));
  app.route('/', analyzeRoutes(deps));
  app.route('/', caseActionRoutes(deps));
  app.route('/', caseRoutes(deps));
  app.route('/', noticeRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', userRoutes(deps));
  app.route('/', privacyRoutes(deps));
  app.route('/', alertRoutes(deps));
  app.route('/', streamRoutes(deps));
  app.route('/', replayRoutes(deps));
  app.route('/', ruleRoutes(deps));
  app.use('/webhooks/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json(errorBody(c, 'PAYLOAD_TOO_LARGE', 'body: larger than 1 MiB'), 413) }));
  app.route('/', webhookRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'odziv API', version: '0.1.0', description: 'Social media monitoring and response: cases, replies, analysis.' },
  });
  app.route('/', uiRoutes(deps));
  app.notFound((c) => c.json(errorBody(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(onError(deps.log));
  return app;
}

export { AppError };
