import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { RequestHandler } from 'express';
import { maskPersonalData } from '../privacy/mask.js';

/** Structured logs (pino, JSON lines). KB_LOG_LEVEL: fatal|error|warn|info|debug|silent (default info). */
export const logger = pino({
  level: process.env.KB_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { service: 'bangban-kb' },
  redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
});

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new one), echoes it back, and logs
 * one line per response: method, path (personal data masked — a question may sit in a query string), status,
 * duration. Bodies are never logged.
 */
export function requestLogging(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let url = req.originalUrl;
      try {
        url = decodeURIComponent(url);
      } catch {
        /* keep it encoded */
      }
      logger.info({ reqId: id, method: req.method, url: maskPersonalData(url).slice(0, 300), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
