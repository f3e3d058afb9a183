import { Router } from 'express';
import type { Services } from '../services.js';

/** 线上人工帮办 → KB: agents push good answers back as draft entries. Mounted at /api/v1/agent. */
export function agentRoutes(_s: Services): Router {
  return Router();
}
