export * from './generate/index.js';
