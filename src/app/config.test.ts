import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './config.ts';

describe('configuration from the environment', () => {
  it('has working defaults: PGlite under ./data, port 3000, worker in process', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.inlineWorker).toBe(true);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('on PostgreSQL leaves the worker to separate processes unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).inlineWorker).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', JEMBATAN_INLINE_WORKER: 'true' }).inlineWorker).toBe(true);
  });

  it('reports every bad variable at once, by name', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', PUBLIC_BASE_URL: 'ftp://x', JEMBATAN_INLINE_WORKER: 'maybe', SMTP_URL: 'mail.example' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT="70000": must be between 0 and 65535/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud": must be one of/);
    expect(problems.join('\n')).toMatch(/PUBLIC_BASE_URL="ftp:\/\/x": must be an http or https URL/);
  });

  it('accepts a 32-byte secret key in hex or base64 and never echoes a bad one', () => {
    expect(loadConfig({ JEMBATAN_SECRET_KEY: 'a'.repeat(64) }).secretKey).toBe('a'.repeat(64));
    expect(loadConfig({ JEMBATAN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey).toBeDefined();
    expect(() => loadConfig({ JEMBATAN_SECRET_KEY: 'hunter2' })).toThrow(/JEMBATAN_SECRET_KEY=\(value hidden\)/);
    try {
      loadConfig({ JEMBATAN_SECRET_KEY: 'hunter2' });
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });

  it('hides the password of a database URL when showing it', () => {
    expect(redactUrl('postgres://app:s3cret@db.internal:5432/jembatan')).toBe('postgres://app:***@db.internal:5432/jembatan');
  });
});
