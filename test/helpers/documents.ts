import type { KnowledgeBase } from '../../server/kb/index.js';
import type { DocumentMetadata } from '../../ingest/types.js';

/** Stores a policy document with the given metadata (no text to speak of): for tests of date rules. */
export function addPolicyDocument(kb: KnowledgeBase, key: string, meta: Partial<DocumentMetadata>): number {
  return kb.transaction(() =>
    kb.documents.upsert({
      sourceKey: key, kind: 'policy', fileName: key, format: 'txt', sha256: key, text: '正文', outline: [],
      metadata: { title: key, docNumber: null, issuer: null, issueDate: null, effectiveDate: null, expiryDate: null, citations: [], level: 'city', region: '上海市', ...meta },
    }),
  ).id;
}
