/**
 * Deterministic synthetic knowledge bases for benchmarks: realistic-looking 一网通办 Q&A built from service
 * items × actions × regions, with similar questions and answers of typical length.
 */
import type { KnowledgeBase } from '../server/kb/index.js';
import type { EntryInput } from '../server/kb/validate.js';

const ITEMS = [
  '营业执照', '居住证', '公积金', '社会保险', '医疗保险', '不动产登记', '出生医学证明', '结婚登记', '食品经营许可', '道路运输许可',
  '建设工程规划许可', '特种设备使用登记', '药品经营许可', '养老服务补贴', '职业技能培训补贴', '人才引进落户', '个体工商户登记', '档案查阅',
  '税务登记', '电子证照', '残疾人证', '老年综合津贴', '新生儿医保', '灵活就业参保', '异地就医备案', '随申码', '企业注销', '企业开办',
  '广告审查', '计量器具型式批准', '检验检测机构资质认定', '排水许可', '户外广告设置', '停车场备案', '消防验收', '人防工程备案',
];
const ACTIONS: Array<[string, string[], (item: string, region: string, n: number) => string]> = [
  ['怎么办理', ['怎么申请', '如何办理', '在哪里办'], (i, r) => `${r}的${i}可以通过“一网通办”PC 端或“随申办”APP 在线申请：登录后搜索“${i}”，按提示填写信息并上传材料，提交后可在“我的办件”查看进度。`],
  ['需要哪些材料', ['要准备什么', '材料清单是什么', '要带什么'], (i) => `办理${i}一般需要：\n- 申请表（在线填写）\n- 申请人身份证明\n- 与${i}相关的证明材料\n已在“一网通办”归集的电子证照可免于提交。`],
  ['要多长时间', ['多久能办好', '办理时限是多少', '几个工作日办结'], (i, _r, n) => `${i}的承诺办结时限为${(n % 10) + 1}个工作日，材料齐全的可当场受理。`],
  ['收费吗', ['要交钱吗', '收费标准是什么', '费用多少'], (i) => `${i}不收取行政事业性收费，请勿相信任何收费代办信息。`],
  ['可以网上办吗', ['能不能全程网办', '线上能办理吗', '要跑窗口吗'], (i) => `${i}已实现全程网办，申请、审核、结果送达都可以在线完成，无需到窗口。`],
  ['进度怎么查', ['办到哪一步了', '怎么查询办理进度', '审核结果在哪看'], (i) => `提交${i}申请后，可在“随申办”的“我的办件”中查看进度，办结后会有短信提醒。`],
  ['遗失了怎么补办', ['丢了怎么办', '怎么补领', '损坏了怎么换'], (i) => `${i}遗失或损坏的，可在“一网通办”申请补领，补领件与原件效力相同。`],
  ['信息变更怎么办', ['怎么修改信息', '如何变更', '地址变了怎么改'], (i) => `${i}登记信息变化的，应在变化后 30 日内通过“一网通办”申请变更。`],
  ['咨询电话是多少', ['打哪个电话问', '有热线吗', '联系方式'], (i) => `关于${i}的咨询可拨打 12345 市民服务热线，也可在工作时段转线上人工帮办。`],
  ['由哪个部门负责', ['谁负责审批', '主管部门是哪个', '归哪个单位管'], (i, r) => `${r}的${i}由区相关主管部门负责受理和审批，具体以办事指南为准。`],
];
const REGIONS = ['上海市', '黄浦区', '徐汇区', '长宁区', '静安区', '普陀区', '虹口区', '杨浦区', '闵行区', '宝山区', '嘉定区', '浦东新区', '金山区', '松江区', '青浦区', '奉贤区', '崇明区'];
const CATEGORIES = ['guide', 'faq', 'guide', 'faq', 'guide', 'guide', 'guide', 'faq', 'hotline', 'department'] as const;

export interface SyntheticQuestion {
  question: string;
  /** The entry that should answer it (null for a question nothing answers). */
  entryIndex: number | null;
}

/** The n-th synthetic entry; beyond items×actions×regions, numbered variants (“第 k 类”) keep questions distinct. */
export function syntheticEntry(n: number): EntryInput {
  const a = n % ACTIONS.length;
  const i = Math.floor(n / ACTIONS.length) % ITEMS.length;
  const r = Math.floor(n / (ACTIONS.length * ITEMS.length)) % REGIONS.length;
  const k = Math.floor(n / (ACTIONS.length * ITEMS.length * REGIONS.length));
  const item = k ? `${ITEMS[i]}（第${k + 1}类）` : ITEMS[i];
  const region = REGIONS[r];
  const [action, similar, answer] = ACTIONS[a];
  const prefix = region === '上海市' ? '' : region;
  return {
    category: CATEGORIES[a],
    question: `${prefix}${item}${action}？`,
    similarQuestions: similar.map((s) => `${prefix}${item}${s}`),
    answer: answer(item, region, n),
    keywords: [ITEMS[i], action.replace(/[？?]/g, '')],
    level: region === '上海市' ? 'city' : 'district',
    region,
    audience: n % 3 === 0 ? 'enterprise' : 'all',
    origin: 'import',
  };
}

/** Fills an empty KB with n published synthetic entries, in batched transactions; reports progress. */
export function fillSyntheticKb(kb: KnowledgeBase, n: number, onProgress?: (done: number) => void): void {
  const BATCH = 1000;
  for (let start = 0; start < n; start += BATCH) {
    kb.transaction(() => {
      for (let j = start; j < Math.min(n, start + BATCH); j++) {
        const e = kb.entries.create(syntheticEntry(j), 'bench');
        kb.entries.publish(e.id, 'bench');
      }
    });
    onProgress?.(Math.min(n, start + BATCH));
  }
}

/** Questions for a KB of n entries: paraphrases of existing entries and questions nothing answers. */
export function syntheticQuestions(n: number, count: number): SyntheticQuestion[] {
  const unknown = ['上海迪士尼门票多少钱', '明天天气怎么样', '出入境护照办理要多久', '推荐一家好吃的餐厅', '股票怎么开户'];
  const out: SyntheticQuestion[] = [];
  for (let q = 0; q < count; q++) {
    if (q % 10 === 9) {
      out.push({ question: unknown[q % unknown.length], entryIndex: null });
      continue;
    }
    const idx = (q * 7919) % n;
    const e = syntheticEntry(idx);
    out.push({ question: e.similarQuestions![q % e.similarQuestions!.length], entryIndex: idx });
  }
  return out;
}
