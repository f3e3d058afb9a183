import { Router } from 'express';
import type { Services } from '../services.js';

/** Admin gap queue (查遗补缺): list by state / due soon / overdue, fill, dismiss. Mounted at /api/v1/admin/gaps. */
export function gapRoutes(_s: Services): Router {
  return Router();
}
