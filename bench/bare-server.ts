/**
 * The API benchmark's baseline: a bare Hono route on @hono/node-server answering every request
 * with the same bytes odziv answered the queue list with (the file given), in a process of its own.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const [file, port] = process.argv.slice(2);
const body = readFileSync(file!);
const app = new Hono();
app.get('*', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, () => process.stdout.write('ready\n'));
