import { Router } from 'express';
import type { Services } from '../services.js';

/** Review queue and actions, policy watch list, job runs. Mounted at /api/v1/admin. */
export function reviewRoutes(_s: Services): Router {
  return Router();
}
