import { describe, expect, it } from 'vitest';
import { amountExample, parseAmount, splitInvoiceText, type AmountResult } from '../src/flow/invoice-input.js';
import { LOCALES, type Locale } from '../src/model/settings.js';
import { withCpuTime } from './helpers/cpu-time.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f'; // narrow no-break space: what Intl prints for fr

const ok = (amount: string): AmountResult => ({ ok: true, amount });
const FORMAT: AmountResult = { ok: false, problem: 'format' };
const DECIMALS: AmountResult = { ok: false, problem: 'decimals' };
const RANGE: AmountResult = { ok: false, problem: 'range' };

type Row = [input: string, expected: AmountResult];

/** Test names show invisible spaces and stay short for the 10 kB inputs. */
function show(input: string): string {
  const shown = JSON.stringify(input).replace(/[\u00a0\u202f\u2019]/g, (c) => `\\u${c.codePointAt(0)?.toString(16).padStart(4, '0')}`);
  return shown.length > 40 ? `${shown.slice(0, 30)}… (${input.length} chars)` : shown;
}
const label = (r: AmountResult) => (r.ok ? r.amount : r.problem);

/** Read the same way whatever the user's language. */
const EVERY_LOCALE: Row[] = [
  // plain integers
  ['1200', ok('1200.00')],
  ['7', ok('7.00')],
  ['  950  ', ok('950.00')],
  ['007', ok('7.00')],
  // spaces, no-break spaces, narrow no-break spaces and apostrophes group thousands everywhere
  ['1 200', ok('1200.00')],
  [`1${NBSP}200`, ok('1200.00')],
  [`1${NNBSP}200${NNBSP}000`, ok('1200000.00')],
  [`1${NBSP}200${NNBSP}000`, ok('1200000.00')],
  ['12 345 678', ok('12345678.00')],
  ["1'200'000", ok('1200000.00')],
  ['1\u2019200', ok('1200.00')],
  ["1'200.50", ok('1200.50')],
  // a mark used twice can only group: no decimal reading exists
  ['1.500.000', ok('1500000.00')],
  ['1,500,000', ok('1500000.00')],
  // either convention in full, and the other locale's decimal with 1-2 digits
  ['1.200,50', ok('1200.50')],
  ['1,200.50', ok('1200.50')],
  ['1.234.567,89', ok('1234567.89')],
  ['1,234,567.89', ok('1234567.89')],
  ['1200,50', ok('1200.50')],
  ['1200.5', ok('1200.50')],
  ['0,5', ok('0.50')],
  ['0.05', ok('0.05')],
  // malformed grouping
  ['1,20,000', FORMAT],
  ['1.2.3', FORMAT],
  ['1.200.50', FORMAT],
  ['1,200,50', FORMAT],
  ['1 20 000', FORMAT],
  ['12 3456', FORMAT],
  ['1234 567', FORMAT],
  ['0 200', FORMAT],
  ['1  200', FORMAT],
  ["1'200 000", FORMAT],
  ['1 200 ,50', FORMAT],
  ['1,5 0', FORMAT],
  // leading and trailing separators
  [',50', FORMAT],
  ['.5', FORMAT],
  ['1200,', FORMAT],
  ['1200.', FORMAT],
  ['1,200,', FORMAT],
  [' 200', ok('200.00')], // outer spaces are trimmed, not separators
  ["'200", FORMAT],
  // zero
  ['0', RANGE],
  ['000', RANGE],
  ['0,00', RANGE],
  ['0.00', RANGE],
  // negative, letters, symbols, empty
  ['-5', FORMAT],
  ['-1.200,50', FORMAT],
  ['\u22125', FORMAT],
  ['+5', FORMAT],
  ['abc', FORMAT],
  ['12a', FORMAT],
  ['1e3', FORMAT],
  ['NaN', FORMAT],
  ['Infinity', FORMAT],
  ['', FORMAT],
  ['   ', FORMAT],
  ['€1200', FORMAT],
  ['1200 €', FORMAT],
  ['$5', FORMAT],
  ['1200 EUR', FORMAT],
  ['1\t200', FORMAT],
  ['１２００', FORMAT],
  // size: below 1e12 stored, from 1e12 refused
  ['999999999999', ok('999999999999.00')],
  ['999 999 999 999,99', ok('999999999999.99')],
  ['1000000000000', RANGE],
  ['1 000 000 000 000', RANGE],
  ['99999999999999999999', RANGE],
];

const PER_LOCALE: Record<Locale, Row[]> = {
  en: [
    ['1,200', ok('1200.00')],
    ['12,345', ok('12345.00')],
    ['1,200.5', ok('1200.50')],
    ['1,200.05', ok('1200.05')],
    ['1200.50', ok('1200.50')],
    // '.' is the decimal mark in en: three digits after it are three decimals, never 1200 or 1.2
    ['1.200', DECIMALS],
    ['0.001', DECIMALS],
    ['12.3456', DECIMALS],
    ['3.14159', DECIMALS],
    ['1,200.000', DECIMALS],
    ['1 200.000', DECIMALS],
    // ',' is the en group mark: a group needs three digits and no leading zero
    ['0,001', FORMAT],
    ['12,3456', FORMAT],
    ['3,14159', FORMAT],
    ['1.200,000', FORMAT],
  ],
  de: [
    ['1.200', ok('1200.00')],
    ['1.200.000', ok('1200000.00')],
    ['1.200,5', ok('1200.50')],
    ['1200,05', ok('1200.05')],
    [`1${NBSP}200,50`, ok('1200.50')],
    // ',' is the decimal mark in de
    ['1,200', DECIMALS],
    ['0,001', DECIMALS],
    ['12,3456', DECIMALS],
    ['3,14159', DECIMALS],
    ['1.200,000', DECIMALS],
    // '.' is the de group mark: "0.001" is not 1, "12.3456" not 123456
    ['0.001', FORMAT],
    ['12.3456', FORMAT],
    ['3.14159', FORMAT],
    ['1,200.000', FORMAT],
    ['1 200.000', FORMAT],
  ],
  fr: [
    [`1${NNBSP}200,50`, ok('1200.50')],
    ['1 200,5', ok('1200.50')],
    ['1 200 000', ok('1200000.00')],
    ['1200,05', ok('1200.05')],
    ['1.200,50', ok('1200.50')],
    ['1,200', DECIMALS],
    ['0,001', DECIMALS],
    ['12,3456', DECIMALS],
    ['3,14159', DECIMALS],
    ['1 200,000', DECIMALS],
    // '.' is neither fr mark: "1.200" could be an en decimal or a Belgian group
    ['1.200', FORMAT],
    ['0.001', FORMAT],
    ['12.3456', FORMAT],
    ['3.14159', FORMAT],
    ['1,200.000', FORMAT],
  ],
  tr: [
    ['1.200', ok('1200.00')],
    ['2.400', ok('2400.00')],
    ['1.200,5', ok('1200.50')],
    ['1200,05', ok('1200.05')],
    ['1.200.000,75', ok('1200000.75')],
    ['1,200', DECIMALS],
    ['0,001', DECIMALS],
    ['12,3456', DECIMALS],
    ['3,14159', DECIMALS],
    ['1.200,000', DECIMALS],
    ['0.001', FORMAT],
    ['12.3456', FORMAT],
    ['3.14159', FORMAT],
    ['1,200.000', FORMAT],
    ['01.200', FORMAT],
  ],
  vi: [
    ['1.500.000', ok('1500000.00')],
    ['150.000', ok('150000.00')],
    ['1.200,5', ok('1200.50')],
    ['1200,05', ok('1200.05')],
    ['1 500 000', ok('1500000.00')],
    ['1,200', DECIMALS],
    ['0,001', DECIMALS],
    ['12,3456', DECIMALS],
    ['3,14159', DECIMALS],
    ['1.200,000', DECIMALS],
    ['0.001', FORMAT],
    ['12.3456', FORMAT],
    ['3.14159', FORMAT],
    ['1,200.000', FORMAT],
    ['1.500.00', FORMAT],
  ],
};

describe.each(LOCALES)('parseAmount in %s', (locale) => {
  const rows = [...PER_LOCALE[locale], ...EVERY_LOCALE].map(([input, expected]) => ({ name: `${show(input)} → ${label(expected)}`, input, expected }));

  it('has a full table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows)('$name', ({ input, expected }) => {
    expect(parseAmount(input, locale)).toEqual(expected);
  });
});

describe('parseAmount on very long input', () => {
  const long = (locale: Locale): Row[] => [
    ['1'.repeat(10_000), RANGE],
    ['0'.repeat(10_000), RANGE],
    ['9'.repeat(10_000) + ',5', RANGE],
    ['1' + ',000'.repeat(2_500), RANGE],
    ['1' + '.000'.repeat(2_500), RANGE],
    ['1 ' + '000 '.repeat(2_500), RANGE],
    ['1,'.repeat(5_000), FORMAT],
    ['1.2'.repeat(3_400), FORMAT],
    ['1' + ' '.repeat(10_000) + '2', FORMAT],
    [`0${locale === 'en' ? '.' : ','}${'1'.repeat(10_000)}`, DECIMALS],
    ['x'.repeat(10_000), FORMAT],
  ];
  const rows = LOCALES.flatMap((locale) =>
    long(locale).map(([input, expected]) => ({ name: `${locale} ${show(input)} → ${label(expected)}`, locale, input, expected })),
  );

  it.each(rows)('$name, quickly', ({ locale, input, expected }) => {
    const { result: got, cpuMs } = withCpuTime(() => parseAmount(input, locale));
    expect(cpuMs).toBeLessThan(200);
    expect(got).toEqual(expected);
  });
});

describe('amountExample', () => {
  it.each([
    ['en', '1,200.50'],
    ['de', '1.200,50'],
    ['fr', `1${NNBSP}200,50`],
    ['tr', '1.200,50'],
    // The đồng has no minor unit: a realistic sum, no decimals.
    ['vi', '1.500.000'],
  ] as const)('shows %s users %j', (locale, shown) => {
    expect(amountExample(locale)).toBe(shown);
  });

  it('follows the currency: decimals only where it has minor units', () => {
    expect(amountExample('vi', 'EUR')).toBe('1.200,50');
    expect(amountExample('en', 'JPY')).toBe('1,500,000');
  });

  it.each(LOCALES)('%s: what the hint shows is read back as the amount it shows', (locale) => {
    expect(parseAmount(amountExample(locale), locale)).toEqual(ok(locale === 'vi' ? '1500000.00' : '1200.50'));
  });

  it.each(LOCALES)('%s: every other language’s example is read as 1200.50 too', (locale) => {
    for (const from of LOCALES) expect(parseAmount(amountExample(from, 'EUR'), locale), from).toEqual(ok('1200.50'));
  });
});

describe('splitInvoiceText feeds parseAmount', () => {
  it.each([
    ['1 200,50 € 15/12/2026', 'fr', { amount: '1 200,50', currency: '€', due: '15/12/2026' }, '1200.50'],
    [`1${NNBSP}200,50 € 15/12/2026`, 'fr', { amount: '1 200,50', currency: '€', due: '15/12/2026' }, '1200.50'],
    ['1.500.000 đ 15/12/2026', 'vi', { amount: '1.500.000', currency: 'đ', due: '15/12/2026' }, '1500000.00'],
    ['1200 EUR 15.12.2026', 'de', { amount: '1200', currency: 'EUR', due: '15.12.2026' }, '1200.00'],
    ['€1200 due 2026-12-15', 'en', { amount: '1200', currency: '€', due: '2026-12-15' }, '1200.00'],
    ['2400 TL yarın', 'tr', { amount: '2400', currency: 'TL', due: 'yarın' }, '2400.00'],
    ['1,200.50 USD 2026-12-15', 'en', { amount: '1,200.50', currency: 'USD', due: '2026-12-15' }, '1200.50'],
  ] as const)('%j (%s) → %j, stored as %s in every locale', (line, _locale, fields, stored) => {
    expect(splitInvoiceText(line)).toEqual(fields);
    for (const locale of LOCALES) expect(parseAmount(fields.amount, locale), locale).toEqual(ok(stored));
  });

  it('keeps the typed grouping, so a bad one is refused instead of glued into another number', () => {
    const typed = splitInvoiceText('12345 678 EUR 15.12.2026');
    expect(typed?.amount).toBe('12345 678');
    expect(parseAmount(typed?.amount ?? '', 'de')).toEqual(FORMAT);
  });

  it('keeps three decimals visible to parseAmount', () => {
    const typed = splitInvoiceText('3.14159 EUR 15.12.2026');
    expect(typed?.amount).toBe('3.14159');
    expect(parseAmount(typed?.amount ?? '', 'en')).toEqual(DECIMALS);
    expect(parseAmount(typed?.amount ?? '', 'de')).toEqual(FORMAT);
  });
});
