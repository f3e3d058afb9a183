import { describe, it, expect } from 'vitest';
import { smallKb } from '../helpers/small-kb.js';
import { saveLexicon } from '../../server/commands/saveLexicon.js';
import { formatSynonyms } from '../../server/search/synonyms.js';
import { lexiconHistory, loadSynonyms } from '../../server/search/lexicon.js';

describe('saveLexicon command', () => {
  it('keeps the save in the history and the next question uses the new list', async () => {
    const s = await smallKb([{ category: 'guide', question: '电动自行车怎么上牌？', answer: '在“随申办”预约后到登记点上牌。' }]);
    try {
      await saveLexicon(s, { name: 'synonyms', content: formatSynonyms([['电瓶车', '电动自行车']]), actor: '张编辑' });
      expect(lexiconHistory(s.kb.lexiconEdits, 'synonyms')[0]).toMatchObject({ editedBy: '张编辑' });
      expect(loadSynonyms(s.dataDir, s.kb.lexiconEdits)).toContainEqual(['电瓶车', '电动自行车']);
      expect(s.engine.status().kbVersion).toBe(s.kb.version());
      expect((await s.answers.hitTest('电瓶车怎么上牌', {})).entryId).toBe(s.ids[0]);
    } finally {
      s.cleanup();
    }
  });
});
