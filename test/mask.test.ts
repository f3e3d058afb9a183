import { describe, it, expect } from 'vitest';
import { maskPersonalData as mask, containsPersonalData, luhnValid } from '../server/privacy/mask.js';

/** Appends the Luhn check digit to a digit string. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
const CARD16 = withLuhn('622202123456789'); // 16 digits
const CARD19 = withLuhn('621700123456789012'); // 19 digits
const group4 = (s: string) => s.replace(/(\d{4})(?=\d)/g, '$1 ');

describe('maskPersonalData', () => {
  it('masks an ID number and a mobile number in a real question, keeping the question', () => {
    expect(mask('我的身份证号是310101199001011234，手机13812345678，怎么办居住证')).toBe(
      '我的身份证号是[身份证号]，手机[手机号]，怎么办居住证',
    );
  });

  it('masks 18-digit IDs ending in X or x, spaced IDs and the old 15-digit form', () => {
    expect(mask('身份证31011519851203462X办社保卡')).toBe('身份证[身份证号]办社保卡');
    expect(mask('证件号码：31011519851203462x')).toBe('证件号码：[身份证号]');
    expect(mask('号码 310101 19900101 1234 补办')).toBe('号码 [身份证号] 补办');
    expect(mask('我是老身份证310101900101123还能用吗')).toBe('我是老身份证[身份证号]还能用吗');
    // a mistyped birth date still masks when the number ends in X
    expect(mask('身份证号31010119901399123X')).toBe('身份证号[身份证号]');
  });

  it('masks an ID number as an ID even when it happens to pass the Luhn check (ID before bank card)', () => {
    const id = withLuhn('31010119900101123');
    expect(luhnValid(id)).toBe(true);
    expect(mask(`身份证${id}`)).toBe('身份证[身份证号]');
  });

  it('masks mobile numbers in their usual spellings', () => {
    for (const phone of ['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '+8613812345678', '0086-13812345678', '(+86)13912345678', '8615912345678']) {
      expect(mask(`请联系${phone}，谢谢`), phone).toBe('请联系[手机号]，谢谢');
    }
    expect(mask('手机13812345678,13912345678都打不通')).toBe('手机[手机号],[手机号]都打不通');
    expect(mask('tel:19912345678')).toBe('tel:[手机号]');
  });

  it('masks landlines with an area code, and a bare local number labelled as a phone', () => {
    expect(mask('家里电话021-62345678')).toBe('家里电话[电话]');
    expect(mask('打02162345678找我')).toBe('打[电话]找我');
    expect(mask('（021）6234 5678')).toBe('[电话]');
    expect(mask('(021) 6234 5678或0571-8888888')).toBe('[电话]或[电话]');
    expect(mask('010-12345678')).toBe('[电话]');
    expect(mask('+86 21 62345678')).toBe('[电话]');
    expect(mask('座机62345678，白天打')).toBe('座机[电话]，白天打');
    expect(mask('我的联系电话是 6234 5678')).toBe('我的联系电话是 [电话]');
  });

  it('keeps service hotlines and short numbers users ask about', () => {
    const text = '拨打12345市民服务热线，或12333、12366、12393、12329，公积金962288，燃气962777，021-12345，400-820-8820，95588';
    expect(mask(text)).toBe(text);
    expect(mask('热线电话：12345')).toBe('热线电话：12345');
    expect(mask('咨询电话962288')).toBe('咨询电话962288');
  });

  it('masks e-mail addresses, including ones made of a phone or ID number', () => {
    expect(mask('发到zhang.san+kb@example.com.cn，或13812345678@163.com')).toBe('发到[邮箱]，或[邮箱]');
    expect(mask('邮箱：Li_Si2024@qq.com。')).toBe('邮箱：[邮箱]。');
  });

  it('masks Luhn-valid bank cards of 16–19 digits, plain or in groups of four', () => {
    expect(mask(`卡号${CARD16}收不到补贴`)).toBe('卡号[银行卡号]收不到补贴');
    expect(mask(`银行卡 ${group4(CARD16)} 被退回`)).toBe('银行卡 [银行卡号] 被退回');
    expect(mask(`社保卡银行账号${CARD19}`)).toBe('社保卡银行账号[银行卡号]');
    expect(mask(`账号${group4(CARD19)}。`)).toBe('账号[银行卡号]。');
    expect(mask(`账号${CARD16.replace(/(\d{4})(?=\d)/g, '$1-')}`)).toBe('账号[银行卡号]');
  });

  it('keeps long numbers that are not Luhn-valid (办件编号 and the like)', () => {
    const bad = CARD16.slice(0, -1) + ((Number(CARD16.at(-1)) + 1) % 10);
    expect(luhnValid(bad)).toBe(false);
    expect(mask(`办件编号${bad}`)).toBe(`办件编号${bad}`);
  });

  it('keeps 统一社会信用代码 (company data)', () => {
    const text = '企业统一社会信用代码91310000MA1FL1234X，另一家的信用代码：913101157178544563';
    expect(mask(text)).toBe(text);
    expect(mask('纳税人识别号 91310115MA1H7XXX0Q')).toBe('纳税人识别号 91310115MA1H7XXX0Q');
  });

  it('keeps dates, 文号, amounts and times', () => {
    const text =
      '根据沪府办发〔2021〕26号和普府办〔2021〕39号，2026-11-23起、2026年11月23日前申请，补贴3000元，最高1,234,567.89元，' +
      '总额15000000000元，上午9:00-11:30，20261123受理，第1381234567条';
    expect(mask(text)).toBe(text);
    expect(mask('金额为13812345678.50元')).toBe('金额为13812345678.50元');
  });

  it('handles full-width digits typed with a Chinese IME, leaving the rest as typed', () => {
    expect(mask('手机１３８１２３４５６７８，身份证３１０１０１１９９００１０１１２３Ｘ，（全角）')).toBe(
      '手机[手机号]，身份证[身份证号]，（全角）',
    );
  });

  it('masks several kinds in one text, is idempotent, and leaves empty text alone', () => {
    const once = mask(`我叫张三，身份证310101199001011234，卡号${CARD16}，手机138-1234-5678，邮箱a@b.cn，座机021-62345678`);
    expect(once).toBe('我叫张三，身份证[身份证号]，卡号[银行卡号]，手机[手机号]，邮箱[邮箱]，座机[电话]');
    expect(mask(once)).toBe(once);
    expect(mask('')).toBe('');
  });
});

describe('maskPersonalData: spellings that used to slip through', () => {
  const math = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join(''); // 𝟎𝟏…
  const arabic = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x0660 + Number(d))).join(''); // ٠١…
  const persian = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x06f0 + Number(d))).join('');
  const devanagari = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x0966 + Number(d))).join('');

  it('a phone number typed as 138.1234.5678, with spaced dashes, a zero-width character, other scripts or 元 after it is masked', () => {
    for (const phone of [
      '138.1234.5678', '138 - 1234 - 5678', '138·1234·5678', '138\u200b12345678', '1381234\u200d5678', '138\ufeff1234\u2060 5678', '1\u00ad3812345678',
      math('13812345678'), arabic('13812345678'), persian('13812345678'), devanagari('13812345678'), '１３８．１２３４．５６７８', '+86 138.1234.5678',
    ]) {
      expect(mask(`我的电话${phone}，怎么办居住证`), JSON.stringify(phone)).toBe('我的电话[手机号]，怎么办居住证');
    }
    expect(mask('转账13812345678元没到账')).toBe('转账[手机号]元没到账');
  });

  it('ID numbers, cards and e-mail addresses are found the same way, X included', () => {
    expect(mask(`身份证${arabic('31010119900101123')}X`)).toBe('身份证[身份证号]');
    expect(mask('身份证310101.19900101.123\u200bX')).toBe('身份证[身份证号]');
    expect(mask(`身份证${math('310101199001011234')}`)).toBe('身份证[身份证号]');
    expect(mask(`卡号${CARD16.replace(/(\d{4})(?=\d)/g, '$1 . ')}`)).toBe('卡号[银行卡号]');
    expect(mask('邮箱 zhang\u200bsan＠example．com')).toBe('邮箱 [邮箱]');
  });

  it('ordinary numbers citizens ask about stay: years, amounts, 文号, hotlines', () => {
    const text = '2024年的补贴8000元什么时候发？沪府办〔2024〕12号说的12345热线、总额15000000000元、2024.12.31截止、第1381234567条、1.5万元、３０００元';
    expect(mask(text)).toBe(text);
  });
});

describe('containsPersonalData', () => {
  it('is true exactly when something would be masked', () => {
    expect(containsPersonalData('我的手机13812345678')).toBe(true);
    expect(containsPersonalData('身份证310101199001011234')).toBe(true);
    expect(containsPersonalData('联系 x@y.com')).toBe(true);
    expect(containsPersonalData('怎么办居住证？打12345可以吗，2026-11-23截止')).toBe(false);
    expect(containsPersonalData('我的身份证号是[身份证号]')).toBe(false);
  });
});

describe('luhnValid', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});
