/**
 * The vocabulary of Shanghai policy documents the generator relies on: verbs that open a clause, what an actor
 * looks like, modals, heading kinds and the domain terms worth indexing.
 */
import { generatorTerms } from './terms.js';
import { uniq } from './text.js';

/** Words that open a clause without a subject (verbs, modals, adverbs, conjunctions). */
export const VERB_WORDS = [
  '建立', '建设', '完善', '健全', '加强', '强化', '推进', '推动', '推行', '推出', '推广', '提升', '提高', '优化', '实现', '提供',
  '开展', '组织', '组建', '探索', '拓展', '落实', '执行', '定制', '开发', '设置', '设立', '发挥', '深化', '打造', '构建', '形成',
  '明确', '制定', '研究', '整合', '上线', '集成', '汇聚', '搭建', '升级', '促进', '创新', '扩大', '承接', '部署', '配备', '配置',
  '选派', '委托', '确保', '做好', '做优', '做实', '依托', '围绕', '聚焦', '结合', '按照', '根据', '利用', '运用', '加大', '丰富',
  '融合', '畅通', '规范', '细化', '梳理', '夯实', '支持', '鼓励', '引导', '培养', '挖掘', '招募', '安排', '填写', '报送', '接受',
  '参照', '参加', '参与', '陪同', '帮助', '解答', '收集', '分析', '协调', '上报', '设定', '拓宽', '覆盖', '兼顾', '精简', '简化',
  '压实', '督促', '指导', '统筹', '坚持', '认真', '严格', '力争', '贯彻', '对接', '共享', '归集', '更新', '补充', '核实', '处理',
  '回复', '联系', '整改', '销号', '记录', '宣传', '普及', '解读', '增加', '增强', '发现', '听取', '体验', '体察', '感知', '加快',
  '建成', '实施', '负责', '牵头', '会同', '做到', '达到', '接入', '转派', '派单', '发布', '公布', '审核', '调研', '新增', '全量',
  '持续', '进一步', '不断', '及时', '全面', '积极', '切实', '充分', '大力', '着力', '逐步', '统一', '定期', '主动', '继续', '同步',
  '自动', '应当', '应', '要', '须', '需', '可以', '可', '将', '并', '且', '还', '也', '同时', '原则上', '另外', '此外', '共同',
  '自行', '立即', '予以', '开通', '减少', '缩短', '取消', '保障', '带头', '深入', '亮明', '力戒', '把', '完成', '通过', '或', '以及',
  '每', '采取', '采用', '使用', '至少', '首先', '再', '实行', '提炼', '创建', '立足', '充实', '拟定', '确定', '选取', '选择', '覆盖',
  '集中', '延伸', '扩容', '健全', '激发', '助力', '帮', '解决', '满足', '遵循', '组成', '转至', '转接', '承办', '统计', '重点关注', '关注', '不得', '不搞', '制发', '拟定', '纳入', '科学', '兼顾', '紧密结合', '确认', '签署', '申领', '登录', '进入', '搜索', '上传', '领取', '缴纳', '下载', '拨打', '点选', '选用', '携带',
];
/** Single characters that are verbs only when they do not start a noun (应用, 可信, 要素 …). */
const GUARDED: Record<string, string> = { 应: '应(?![用急对邀])', 可: '可(?![信视持])', 要: '要(?![素点件求])', 将: '将(?![来])', 再: '再(?![生])' };
const VERB_ALT = uniq(VERB_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((w) => GUARDED[w] ?? w)
  .join('|');
export const VERB_START_RE = new RegExp(`^(?:${VERB_ALT}|[一二三四五六七八九十]是)`);
/** Verbs that may start a heading ("建立知识库迭代更新机制"). */
const HEADING_VERBS = [
  '建立健全', '建立完善', '健全完善', '全面拓展', '全面提升', '全面推进', '建立', '建设', '完善', '健全', '加强', '强化', '推进',
  '推动', '推行', '提升', '提高', '优化', '部署', '承接', '配备', '配置', '执行', '实施', '开展', '落实', '纳入', '扩大', '创新',
  '夯实', '深化', '拓展', '打造', '构建', '设立', '依托', '加快', '促进', '力戒', '聚焦', '坚持', '发现', '整合', '推出', '搭建',
  '实现', '做好', '切实', '发挥', '规范', '明确', '改进', '严格', '确保', '提供', '鼓励', '支持', '探索', '创建', '设置', '开发', '及时',
  '培育', '持续', '继续', '积极', '大力', '进一步', '统一', '筑牢', '守牢', '用好', '抓好', '加大', '促进', '形成', '扩展', '丰富',
];
export const HEADING_VERB_RE = new RegExp(`^(?:${uniq(HEADING_VERBS).sort((a, b) => b.length - a.length).join('|')})`);
/** Verbs of a task worth asking "如何…？" about. */
export const TASK_VERB_RE = /^(?:(?:持续|全面|进一步|积极|不断|探索)?(?:建立|建设|完善|健全|加强|强化|推进|推动|推行|提升|提高|优化|探索|拓展|深化|打造|构建|设立|设置|搭建|运用|推出|落实|形成|扩大|创新))/;
/** Verbs stripped from "建设X，提供…" to get X. */
export const OBJECT_VERB_RE = /^(?:统一建设|定制开发|建设|开发|搭建|打造|建立|设立|设置|上线|推出|构建|组建|部署|升级|完善|优化|强化|推进|依托|深化|持续深化|持续优化|持续)/;
/** Where an actor (subject) ends. */
export const SUBJECT_STOP_RE = new RegExp(
  [
    '应当', '应该', '(?<![相响适供对反])应', '(?<![主重需纲摘只必])要(?![求点素件])', '须', '需要', '(?<![必])需', '负责', '(?<![但于就凡即])是',
    '将', '可以', '(?<![许认])可', '不得', '原则上', '每', '牵头', '会同', '根据', '按照', '通过', '作为', '(?<![存所现正实自])在',
    '对于', '(?<![针面相核应])对(?![接象])', '(?<![属关由便易用位等基鉴终至处在对])于', '也要', '统一', '进一步', '不断', '切实', '充分',
    '积极', '主动', '自行', '持续', '已', '均', '共同', '(?<![自理经])由', '提供', '依托', '为第一', '配备', '组织', '结合', '建立',
    '完善', '制定', '推进', '开展', '做好', '加强', '强化', '首先', '及时', '定期', '实现', '达到',
    ...VERB_WORDS.filter((v) => v.length >= 2 && !/^(?:统计|保障|服务|发展|改革|管理|统一|共享|集中|科学)$/.test(v)),
  ].join('|'),
);
/** Modals and copulas: a clause holding one states something (it is not a bare noun phrase). */
export const MODAL_RE = /应当|(?<![相响适供对反])应(?![用急对邀])|(?<![主重需纲摘只必])要(?![求点素件])|须|(?<![必])需|将|(?<![许认])可|负责|(?<![但于就凡即])是|不得|原则上/;
/** What an actor (a unit or a role) looks like. */
export const ACTOR_RE =
  /(?:办公厅|办公室|府办|热线办|服务办|政务办|中心|局|处|科|室|部门|单位|委|政府|街镇|街道|镇|热线|团队|人员|领导|干部|窗口|机构|各区|成员|主体|大厅|队伍|客服|平台|小申|专席|区长|同志)$/;
export const PREPOSITION_RE = /^(?:在|对于|对|针对|于|以|从|由|为|向|与|就|经|随着|当)/;
export const QUESTION_WORD_RE = /^(?:多久|多长时间|什么|哪些|哪个|多少|几|最晚)/;
export const HOTLINE_TOPIC_RE = /^“?12345|^[^，]{0,6}热线|咨询电话|电话咨询|企业专席|三方通话|热线电话/;
/** A question about the hotline itself (not one that merely mentions it). */
export const HOTLINE_QUESTION_RE = /^(?:[^，]{0,12}，)?(?:“?12345|[^，]{0,6}热线|[^，]{0,8}(?:咨询电话|电话咨询))/;
export const ENTERPRISE_RE = /企业|惠企|涉企|为企|市场主体|中小微/;
export const PEOPLE_RE = /群众|个人|市民|居民|老年|残疾|长者|特殊群体|公民/;

/** Terms worth indexing as keywords when they occur: domain knowledge, kept in kb-data/generator-terms.txt. */
export const DOMAIN_TERMS = generatorTerms().domain;

/** Headings that name a part of any plan, or of a 政策解读 / 起草说明 (起草背景, 目的及意义, 制定依据): asked with their owner. */
export const GENERIC_HEADING_RE =
  /^(?:指导思想|总体要求|工作职责|体系架构|帮办范围|主要目标|总体目标|基本原则|工作任务|工作分工|工作任务及分工|主要任务|重点任务|组织保障|工作要求|工作安排|帮办重点|帮办形式|保障措施|工作目标|实施范围|适用范围|工作原则|主要内容|附则|工作机制|职责分工|起草背景|出台背景|制定背景|目的及意义|目的和意义|重要意义|制定依据|起草依据|编制依据|政策依据|任务目标|总体考虑|起草过程|主要举措|主要措施|重点内容|主要特点|适用对象|实施时间)$/;
/** Verbs saying what a thing consists of (“包括……四种方式”): a clause opening on one leaves its subject in the clause before. */
export const INCLUDING_VERBS = '包括|包含|涵盖|分为';
/** Labels naming who carries a task out, as notes ("（责任单位：区数据局）") or as an item of their own ("3.责任单位：…"). */
export const RESPONSIBLE_LABEL = '责任单位|牵头单位|责任部门|牵头部门|主办单位|责任处室|配合单位';
/** Sections of slogans: one entry, no facts. */
export const BOILERPLATE_HEADING_RE = /^(?:指导思想|总体思路)$/;
/** A deadline year ("2022年底前", "2023年起"); a sentence opening with one dates the sentences after it. */
export const DEADLINE_RE = /(\d{4})年(?:底|年底|内|上半年|下半年)?(?:前|以前|起)/;
