import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk, _enc, cb) => {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', secrets, destination }), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('masks known secret values anywhere, and redacts secret fields', () => {
    const { log, lines } = capture(['super-secret-token-123']);
    log.info({ url: 'postgres://u:super-secret-token-123@h/db', password: 'hunter2hunter2' }, 'connecting with super-secret-token-123');
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain('super-secret-token-123');
    expect(line!.password).toBe('[redacted]');
    expect(line!.msg).toBe('connecting with [redacted]');
  });

  it('keeps errors readable (message and stack) while masking secrets in them', () => {
    const { log, lines } = capture(['super-secret-token-123']);
    log.error({ err: new Error('X rejected super-secret-token-123') }, 'failed');
    const err = lines()[0]!.err as { message: string; stack: string; type: string };
    expect(err.type).toBe('Error');
    expect(err.message).toBe('X rejected [redacted]');
    expect(err.stack).toContain('logger.test.ts');
  });
});
