import helmet from 'helmet';
import { rateLimit, type Options as RateLimitHandlerOptions } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { shanghaiDateTime } from '../ops/calendar.js';

/**
 * Security headers. The admin page and the demo page load only this origin's scripts and styles; the widget
 * builds its styles inside a shadow root (inline <style>), hence 'unsafe-inline' for styles only.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'self'"],
        // district intranets often serve plain http: do not force https sub-requests
        'upgrade-insecure-requests': null,
      },
    },
    // the widget script is fetched by pages on other origins
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

export interface RateLimitOptions {
  /** Requests per client per window (KB_RATE_LIMIT, default 120). */
  limit: number;
  /** Window in ms (KB_RATE_WINDOW_MS, default 60 000). */
  windowMs: number;
}

export function rateLimitOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const limit = Number(env.KB_RATE_LIMIT ?? 120);
  const windowMs = Number(env.KB_RATE_WINDOW_MS ?? 60_000);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`KB_RATE_LIMIT=${env.KB_RATE_LIMIT} 无效：应为正整数`);
  if (!Number.isInteger(windowMs) || windowMs < 1000) throw new Error(`KB_RATE_WINDOW_MS=${env.KB_RATE_WINDOW_MS} 无效：应为不小于 1000 的整数`);
  return { limit, windowMs };
}

/**
 * The 429 of a rate limiter: Retry-After is the time left in the client's window (the limiter's reset time), and the
 * body says it in words a person can act on.
 */
function tooManyRequests(body: (seconds: number, reset: Date) => { error: string; message: string }): RateLimitHandlerOptions['handler'] {
  return (req, res, _next, opts) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime ?? new Date(Date.now() + opts.windowMs);
    const seconds = Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000));
    res.set('Retry-After', String(seconds));
    res.status(429).json(body(seconds, reset));
  };
}

/** Per-client limit on the public API: 429 with Retry-After and a message a person can act on. */
export function publicRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: tooManyRequests((seconds) => ({ error: 'rate_limited', message: `提问过于频繁，请 ${seconds} 秒后再试。` })),
  });
}

export interface TokenFailureLimitOptions {
  /** Failed token attempts (401s) per client per window (default 10). */
  limit: number;
  /** Window in ms (default 15 minutes). */
  windowMs: number;
}

export const TOKEN_FAILURE_LIMIT: TokenFailureLimitOptions = { limit: 10, windowMs: 15 * 60_000 };

/**
 * Slows down token guessing on the admin and agent APIs: only requests answered 401 (no token, or a wrong, expired
 * or revoked one) count; a client past the limit gets 429 naming when to try again, whatever it sends, until the
 * window ends. Requests with a valid token (including 403s and 4xx validation errors) never count. Mount before
 * authenticate(). Counts are per process (with KB_WORKERS=N a client gets at most N × limit attempts).
 */
export function tokenFailureLimit(options: TokenFailureLimitOptions = TOKEN_FAILURE_LIMIT): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: tooManyRequests((seconds, reset) => ({
      error: 'too_many_failed_tokens',
      message: `访问令牌验证失败次数过多，已暂停受理。请在 ${Math.ceil(seconds / 60)} 分钟后（北京时间 ${shanghaiDateTime(reset.toISOString())} 以后）再试，并确认使用的是有效令牌。`,
    })),
  });
}
