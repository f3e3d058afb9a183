import { z } from 'zod';
import { filterFields, question } from '../shared.js';

export const hitTestRequest = z.object({ question, ...filterFields }).strict();
