/**
 * A tiny BERT-shaped model written from scratch (no network, no python), so the
 * transformers embedder can be tested offline end to end: ONNX graph encoded by
 * hand as protobuf, plus config.json / tokenizer.json / tokenizer_config.json.
 *
 * The "network" is an embedding lookup plus one context step:
 *   h[t] = E[id[t]] * mask[t] + masked-mean over the sequence of E[id]*mask
 * so the [CLS] position carries the whole text (CLS pooling is meaningful) and
 * texts sharing characters get similar vectors.
 */
import { mulberry32 } from '../../server/cli/prng.js';
import fs from 'node:fs';
import path from 'node:path';

// ---------- minimal protobuf writer (field numbers from onnx/onnx.proto) ----------

type Field = Uint8Array;

function varint(v: number | bigint): number[] {
  // int64 fields: negatives are encoded as 10-byte two's complement varints.
  let n = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    out.push(b);
  } while (n !== 0n);
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const tag = (field: number, wire: number) => varint((field << 3) | wire);
/** Varint field (wire type 0). */
const vint = (field: number, v: number | bigint): Field => Uint8Array.from([...tag(field, 0), ...varint(v)]);
/** Length-delimited field (wire type 2): bytes, string or embedded message. */
function bytes(field: number, data: Uint8Array | string): Field {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return concat([Uint8Array.from([...tag(field, 2), ...varint(body.length)]), body]);
}
const msg = (field: number, ...parts: Field[]): Field => bytes(field, concat(parts));

// ONNX enums
const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

/** TensorProto: dims=1, data_type=2, name=8, raw_data=9 (little-endian). */
function tensor(field: number, name: string, dims: number[], dataType: number, raw: Uint8Array): Field {
  return msg(field, ...dims.map((d) => vint(1, d)), vint(2, dataType), bytes(8, name), bytes(9, raw));
}
const floatTensor = (field: number, name: string, dims: number[], data: Float32Array) =>
  tensor(field, name, dims, FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
const int64Tensor = (field: number, name: string, dims: number[], data: number[]) =>
  tensor(field, name, dims, INT64, new Uint8Array(BigInt64Array.from(data.map(BigInt)).buffer));

/** AttributeProto: name=1, i=3, type=20. */
const intAttr = (name: string, i: number) => msg(5, bytes(1, name), vint(3, i), vint(20, ATTR_INT));

/** NodeProto (GraphProto.node=1): input=1, output=2, name=3, op_type=4, attribute=5. */
function node(op: string, inputs: string[], outputs: string[], ...attrs: Field[]): Field {
  return msg(1, ...inputs.map((s) => bytes(1, s)), ...outputs.map((s) => bytes(2, s)), bytes(3, `${op}_${outputs[0]}`), bytes(4, op), ...attrs);
}

/** ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1|dim_param=2}}}}}. */
function valueInfo(field: number, name: string, elemType: number, dims: Array<string | number>): Field {
  const shape = msg(2, ...dims.map((d) => (typeof d === 'number' ? msg(1, vint(1, d)) : msg(1, bytes(2, d)))));
  return msg(field, bytes(1, name), msg(2, msg(1, vint(1, elemType), shape)));
}

/** The ONNX ModelProto bytes for an embedding-lookup "BERT" with the usual three inputs. */
export function buildTinyBertOnnx(embeddings: Float32Array, vocabSize: number, hidden: number): Uint8Array {
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['emb'], intAttr('axis', 0)), // [B,S,H]
    // token_type_ids must be a declared (and used) input: fold it in as 0 * type.
    node('Cast', ['attention_mask'], ['mask_f'], intAttr('to', FLOAT)),
    node('Cast', ['token_type_ids'], ['type_f'], intAttr('to', FLOAT)),
    node('Mul', ['type_f', 'zero'], ['type_zero']),
    node('Add', ['mask_f', 'type_zero'], ['mask2']),
    node('Unsqueeze', ['mask2', 'last_axis'], ['mask3']), // [B,S,1]
    node('Mul', ['emb', 'mask3'], ['emb_masked']),
    node('ReduceSum', ['emb_masked', 'seq_axis'], ['emb_sum'], intAttr('keepdims', 1)), // [B,1,H]
    node('ReduceSum', ['mask3', 'seq_axis'], ['count'], intAttr('keepdims', 1)), // [B,1,1]
    node('Max', ['count', 'one'], ['count_safe']),
    node('Div', ['emb_sum', 'count_safe'], ['context']),
    node('Add', ['emb_masked', 'context'], ['last_hidden_state']), // [B,S,H]
  ];
  const graph = msg(
    7,
    ...nodes,
    bytes(2, 'tiny_bert'),
    floatTensor(5, 'word_embeddings', [vocabSize, hidden], embeddings),
    floatTensor(5, 'zero', [], Float32Array.of(0)),
    floatTensor(5, 'one', [], Float32Array.of(1)),
    int64Tensor(5, 'last_axis', [1], [-1]),
    int64Tensor(5, 'seq_axis', [1], [1]),
    valueInfo(11, 'input_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo(11, 'attention_mask', INT64, ['batch_size', 'sequence_length']),
    valueInfo(11, 'token_type_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch_size', 'sequence_length', hidden]),
  );
  return concat([
    vint(1, 8), // ir_version
    bytes(2, 'bangban-kb tiny-model'), // producer_name
    graph,
    msg(8, bytes(1, ''), vint(2, 13)), // opset_import {domain "", version 13}
  ]);
}

// ---------- vocabulary, weights and the HF side files ----------

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
/** A few hundred frequent characters, biased to 一网通办 vocabulary. */
const COMMON_CHARS =
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穷故丢遗补迪票申缺材登社保险户籍居住证件身份驾驶婚姻登记公积金医疗退休护照签注营业执照';


export interface TinyModelOptions {
  hidden?: number;
  /**
   * Describe the model as bge-style through standard sentence-transformers files
   * (1_Pooling/config.json → CLS pooling, config_sentence_transformers.json → query prompt).
   * Default true; false leaves the model folder with no pooling hints.
   */
  bgeStyle?: boolean;
}

export const TINY_QUERY_PROMPT = '为这个句子生成表示以用于检索相关文章：';

/** Writes a loadable tiny BERT model to `${dir}/${name}` (config, tokenizer, onnx/model.onnx). */
export async function writeTinyBertModel(dir: string, name = 'test/tiny-bert', opts: TinyModelOptions = {}): Promise<void> {
  const hidden = opts.hidden ?? 32;
  const chars = [...new Set([...COMMON_CHARS, ...TINY_QUERY_PROMPT])];
  const ascii = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
  const punct = [...'，。？！：；、（）《》“”,.?!:;()'];
  const tokens = [...SPECIALS, ...new Set([...chars, ...ascii, ...punct])];
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => (vocab[t] = i));

  // Roughly Gaussian weights (sum of uniforms); specials tiny so they don't dominate.
  const rand = mulberry32(20240601);
  const emb = new Float32Array(tokens.length * hidden);
  for (let i = 0; i < emb.length; i++) {
    const g = rand() + rand() + rand() - 1.5;
    emb[i] = Math.floor(i / hidden) < SPECIALS.length ? g * 0.05 : g;
  }

  const root = path.join(dir, name);
  fs.mkdirSync(path.join(root, 'onnx'), { recursive: true });
  fs.writeFileSync(path.join(root, 'onnx', 'model.onnx'), buildTinyBertOnnx(emb, tokens.length, hidden));

  const json = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), JSON.stringify(value, null, 2));
  };
  json('config.json', {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: hidden,
    vocab_size: tokens.length,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: hidden * 2,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    pad_token_id: 0,
  });
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specialRef = (id: string) => ({ id, ids: [vocab[id]], tokens: [id] });
  json('tokenizer.json', {
    version: '1.0',
    truncation: { direction: 'Right', max_length: 512, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: SPECIALS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': specialRef('[CLS]'), '[SEP]': specialRef('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  });
  json('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  });
  json('special_tokens_map.json', { cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' });
  if (opts.bgeStyle ?? true) {
    json('1_Pooling/config.json', { word_embedding_dimension: hidden, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false });
    json('config_sentence_transformers.json', { prompts: { query: TINY_QUERY_PROMPT, document: '' }, default_prompt_name: null });
  }
}
