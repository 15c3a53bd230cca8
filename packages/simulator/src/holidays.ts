/**
 * PRC public holidays and adjusted working days (调休) for the simulated years, as data.
 * Holiday spans are the consecutive days off as announced (weekend days inside the span
 * included); adjusted working days are weekend days that are worked.
 *
 * 2024–2026: the State Council General Office notices (国办发明电〔2023〕7号 of 2023-10-25,
 * 〔2024〕12号 of 2024-11-12, and the notice of 2025-11-04).
 * 2027: not yet announced when this table was written — projected with the rules of the
 * 2024-11 revision (Spring Festival from New Year's Eve 8 days, Labour Day 5, National Day 7,
 * the others 3 or, on a Wednesday, 1) on the lunar dates (Spring Festival 2027-02-06,
 * Qingming 04-05, Dragon Boat 06-09, Mid-Autumn 09-15). Replace it when the notice appears.
 * Outside the table's years only weekends are days off.
 */
export interface HolidaySpan {
  name: string;
  nameZh: string;
  /** First and last day off, YYYY-MM-DD, inclusive. */
  start: string;
  end: string;
  /** True where the dates are a projection, not an announcement. */
  projected?: boolean;
}

export interface HolidayTable {
  /** First and last year the table covers. */
  years: readonly [number, number];
  holidays: readonly HolidaySpan[];
  /** Weekend days that are working days (调休上班), YYYY-MM-DD. */
  adjustedWorkdays: readonly string[];
}

const span = (name: string, nameZh: string, start: string, end: string, projected = false): HolidaySpan =>
  projected ? { name, nameZh, start, end, projected } : { name, nameZh, start, end };

export const PRC_HOLIDAYS: HolidayTable = {
  years: [2024, 2027],
  holidays: [
    span("New Year's Day", '元旦', '2024-01-01', '2024-01-01'),
    span('Spring Festival', '春节', '2024-02-10', '2024-02-17'),
    span('Qingming', '清明节', '2024-04-04', '2024-04-06'),
    span('Labour Day', '劳动节', '2024-05-01', '2024-05-05'),
    span('Dragon Boat Festival', '端午节', '2024-06-08', '2024-06-10'),
    span('Mid-Autumn Festival', '中秋节', '2024-09-15', '2024-09-17'),
    span('National Day', '国庆节', '2024-10-01', '2024-10-07'),

    span("New Year's Day", '元旦', '2025-01-01', '2025-01-01'),
    span('Spring Festival', '春节', '2025-01-28', '2025-02-04'),
    span('Qingming', '清明节', '2025-04-04', '2025-04-06'),
    span('Labour Day', '劳动节', '2025-05-01', '2025-05-05'),
    span('Dragon Boat Festival', '端午节', '2025-05-31', '2025-06-02'),
    span('National Day and Mid-Autumn', '国庆节、中秋节', '2025-10-01', '2025-10-08'),

    span("New Year's Day", '元旦', '2026-01-01', '2026-01-03'),
    span('Spring Festival', '春节', '2026-02-15', '2026-02-23'),
    span('Qingming', '清明节', '2026-04-04', '2026-04-06'),
    span('Labour Day', '劳动节', '2026-05-01', '2026-05-05'),
    span('Dragon Boat Festival', '端午节', '2026-06-19', '2026-06-21'),
    span('Mid-Autumn Festival', '中秋节', '2026-09-25', '2026-09-27'),
    span('National Day', '国庆节', '2026-10-01', '2026-10-07'),

    span("New Year's Day", '元旦', '2027-01-01', '2027-01-03', true),
    span('Spring Festival', '春节', '2027-02-05', '2027-02-12', true),
    span('Qingming', '清明节', '2027-04-03', '2027-04-05', true),
    span('Labour Day', '劳动节', '2027-05-01', '2027-05-05', true),
    span('Dragon Boat Festival', '端午节', '2027-06-09', '2027-06-09', true),
    span('Mid-Autumn Festival', '中秋节', '2027-09-15', '2027-09-15', true),
    span('National Day', '国庆节', '2027-10-01', '2027-10-07', true),
  ],
  adjustedWorkdays: [
    '2024-02-04',
    '2024-02-18',
    '2024-04-07',
    '2024-04-28',
    '2024-05-11',
    '2024-09-14',
    '2024-09-29',
    '2024-10-12',

    '2025-01-26',
    '2025-02-08',
    '2025-04-27',
    '2025-09-28',
    '2025-10-11',

    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',

    // 2027: projected
    '2027-01-31',
    '2027-02-20',
    '2027-05-08',
    '2027-09-26',
    '2027-10-09',
  ],
};
