import pino, { type Logger } from 'pino';

/** The process logger. Secrets are redacted by key wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'access_token',
        '*.access_token',
        'config.access_token',
        'authorization',
        'headers.authorization',
        'req.headers.authorization',
        'writeKey',
        '*.writeKey',
        'write_key',
        '*.write_key',
        'adminToken',
      ],
      censor: '[redacted]',
    },
  });
}
