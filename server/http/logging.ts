import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { maskPersonalData } from '../privacy/mask.js';

/** Structured logs (pino, JSON lines). KB_LOG_LEVEL: fatal|error|warn|info|debug|silent (default info). */
export const logger = pino({
  level: process.env.KB_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { service: 'bangban-kb' },
  redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
});

/**
 * The part of a request URL that may be logged: the path, never the query string. Questions and typeahead prefixes
 * travel in query strings (GET /suggest?q=…, where `+` is a space and every prefix of an ID number arrives as the
 * citizen types), so the query is left out whole; which parameters were given is kept (`?q=…`) for debugging.
 * The path itself is masked too (an upload name or an id segment could still carry personal data).
 */
export function loggableUrl(originalUrl: string): string {
  const q = originalUrl.indexOf('?');
  let path = q === -1 ? originalUrl : originalUrl.slice(0, q);
  try {
    path = decodeURIComponent(path);
  } catch {
    /* keep it encoded */
  }
  const names = q === -1 ? [] : [...new URLSearchParams(originalUrl.slice(q + 1)).keys()].filter((k) => /^[A-Za-z][A-Za-z_]{0,31}$/.test(k)); // names, never values
  const query = q === -1 ? '' : `?${[...new Set(names)].map((k) => `${k}=…`).join('&') || '…'}`;
  return maskPersonalData(path).slice(0, 300) + query;
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new one), echoes it back, and logs
 * one line per response: method, path (without the query string: see loggableUrl), status, duration. Bodies are
 * never logged.
 */
export function requestLogging(log: Logger = logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (!log.isLevelEnabled('info')) return; // no line to write: skip the masking too
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ reqId: id, method: req.method, url: loggableUrl(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
