import type { Request, Response, NextFunction, RequestHandler } from 'express';

/**
 * KB_WIDGET_ORIGINS: comma-separated origins allowed to embed the widget (e.g. `https://zwdt.sh.gov.cn,https://m.example.cn`),
 * or `*` for any. Unset or empty: no cross-origin access (the widget still works on this server's own pages).
 */
export function widgetOrigins(value: string | undefined = process.env.KB_WIDGET_ORIGINS): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/**
 * CORS for the public API only (never the admin or agent API): an allowed Origin is echoed back, preflights are
 * answered for GET/POST with Content-Type. The API uses no cookies, so credentials are never allowed.
 * Where it applies is where it is mounted: server/app.ts puts it on each public resource's path and nowhere else.
 */
export function widgetCors(origins: string[]): RequestHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (!origin) return next();
    res.vary('Origin');
    if (!any && !allowed.has(origin.toLowerCase())) return next();
    res.set('Access-Control-Allow-Origin', any ? '*' : origin);
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', 'Content-Type');
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
