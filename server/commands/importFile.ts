import path from 'node:path';
import { ingestFileWithPlan, ingestPaths, type FilePlan, type FileResult, type IngestOptions } from '../../ingest/pipeline.js';
import { indexChanged, type CommandContext } from './context.js';

/**
 * Imports one policy document or Q&A sheet (the admin page's upload): the file's entries, history, review flags and
 * gaps are written in one transaction by the pipeline (ingest/pipeline.ts), whose every change of an entry is
 * updateEntry's decision (a published entry's change waits for review unless the importer publishes) and every
 * publish is publishEntry (the gaps the entry answers are filled). Then the search index follows.
 */
export async function importFile(ctx: CommandContext, input: { file: string } & Omit<IngestOptions, 'calendar'>): Promise<FilePlan> {
  const { file, ...options } = input;
  const plan = await ingestFileWithPlan(ctx.kb, file, { ...options, calendar: ctx.calendar, fileName: options.fileName ?? path.basename(file) });
  await indexChanged(ctx);
  return plan;
}

/**
 * Imports files and folders (the ingest CLI, the start-up sample import): one transaction per file, as importFile;
 * a failed file does not stop the others.
 */
export async function importPaths(
  ctx: CommandContext, paths: string[], options: Omit<IngestOptions, 'calendar'>, onProgress?: (done: number, total: number, file: string) => void,
): Promise<{ results: FileResult[]; skipped: string[] }> {
  const out = await ingestPaths(ctx.kb, paths, { ...options, calendar: ctx.calendar }, onProgress);
  await indexChanged(ctx);
  return out;
}
