import type { Audience, CategoryCode, EntryOrigin, EntryStatus, Level, ListsAll } from '../../shared/domain.js';

export type { EntryOrigin, EntryStatus, Level };

/** The seven columns of the 一网通办 knowledge base (沪市监法规〔2022〕8号 三、（二）1), as stable codes. */
export const CATEGORIES: ReadonlyArray<{ code: CategoryCode; label: string }> = [
  { code: 'guide', label: '网上办事指引' },
  { code: 'faq', label: '常见问题' },
  { code: 'glossary', label: '政务百科词条' },
  { code: 'policy', label: '政策文件' },
  { code: 'notice', label: '通知公告' },
  { code: 'hotline', label: '热线电话' },
  { code: 'department', label: '部门信息' },
];

export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [CategoryCode, ...CategoryCode[]];

export function categoryLabel(code: CategoryCode): string {
  return CATEGORIES.find((c) => c.code === code)!.label;
}

/** Accepts a code ("faq") or its Chinese label ("常见问题"); null when it is neither. */
export function parseCategory(value: string): CategoryCode | null {
  const v = value.trim();
  const hit = CATEGORIES.find((c) => c.code === v.toLowerCase() || c.label === v);
  return hit ? hit.code : null;
}

export const LEVELS = ['city', 'district'] as const satisfies readonly Level[];
true satisfies ListsAll<Level, typeof LEVELS>;
const LEVEL_WORDS: Record<string, Level> = { city: 'city', district: 'district', 市: 'city', 市级: 'city', 区: 'district', 区级: 'district' };
export function parseLevel(value: string): Level | null {
  return LEVEL_WORDS[value.trim().toLowerCase()] ?? null;
}
export const LEVEL_LABELS: Record<Level, string> = { city: '市级', district: '区级' };

export const AUDIENCES = ['enterprise', 'individual', 'all'] as const satisfies readonly Audience[];
true satisfies ListsAll<Audience, typeof AUDIENCES>;
const AUDIENCE_WORDS: Record<string, Audience> = {
  enterprise: 'enterprise', individual: 'individual', all: 'all',
  企业: 'enterprise', 法人: 'enterprise', 个人: 'individual', 自然人: 'individual', 市民: 'individual', 全部: 'all', 所有: 'all', 通用: 'all',
};
export function parseAudience(value: string): Audience | null {
  return AUDIENCE_WORDS[value.trim().toLowerCase()] ?? null;
}
export const AUDIENCE_LABELS: Record<Audience, string> = { enterprise: '企业', individual: '个人', all: '全部' };

export const STATUSES = ['draft', 'published', 'archived'] as const satisfies readonly EntryStatus[];
true satisfies ListsAll<EntryStatus, typeof STATUSES>;

export const ORIGINS = ['ingest', 'manual', 'agent', 'gap-fill', 'import'] as const satisfies readonly EntryOrigin[];
true satisfies ListsAll<EntryOrigin, typeof ORIGINS>;
