/**
 * PRC public holidays (放假) and adjusted working days (调休上班) for 2024–2027, as data.
 *
 * Sources:
 * - 2024: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号, 2023-10-25). OFFICIAL.
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12). OFFICIAL.
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, Xinhua). OFFICIAL.
 * - 2027: PROJECTED, not official. Built from the planning principles stated in the 2025 notice
 *   (春节 from 除夕, 8 days; 劳动节 5 days; 国庆 from Oct 1, 7 days; 元旦/清明/端午/中秋 3 days
 *   joined to a weekend, or only the day itself when it is a Wednesday) and the lunar dates
 *   (除夕 Feb 5, 清明 Apr 5, 端午 Jun 9, 中秋 Sep 15). The make-up working days are a guess.
 *   A deployment MUST replace 2027 with the official notice once published (pass its own
 *   CalendarData to `createCalendar`).
 *
 * Each entry lists the whole off span (weekend days inside it included, since they are part of
 * the holiday) and the weekend days that are working days because of it.
 */
export interface HolidayEntry {
  year: number;
  /** Short English name; zh-CN name beside it. */
  name: string;
  nameZh: string;
  /** First and last day off, YYYY-MM-DD inclusive. */
  off: readonly [string, string];
  /** Weekend days that are working days (调休上班). */
  workdays: readonly string[];
  status: 'official' | 'projected';
}

export interface CalendarData {
  /** Where the data came from, for people reading a finding. */
  description: string;
  entries: readonly HolidayEntry[];
}

const official = 'official' as const;
const projected = 'projected' as const;

export const PRC_CALENDAR_2024_2027: CalendarData = {
  description: 'PRC State Council holiday notices 2024–2026 (official); 2027 projected from the 2025 principles',
  entries: [
    // 2024 — 国办发明电〔2023〕7号
    {
      year: 2024,
      name: "New Year's Day",
      nameZh: '元旦',
      off: ['2024-01-01', '2024-01-01'],
      workdays: [],
      status: official,
    },
    {
      year: 2024,
      name: 'Spring Festival',
      nameZh: '春节',
      off: ['2024-02-10', '2024-02-17'],
      workdays: ['2024-02-04', '2024-02-18'],
      status: official,
    },
    {
      year: 2024,
      name: 'Qingming',
      nameZh: '清明节',
      off: ['2024-04-04', '2024-04-06'],
      workdays: ['2024-04-07'],
      status: official,
    },
    {
      year: 2024,
      name: 'Labour Day',
      nameZh: '劳动节',
      off: ['2024-05-01', '2024-05-05'],
      workdays: ['2024-04-28', '2024-05-11'],
      status: official,
    },
    // "6月10日放假，与周末连休": Jun 8–9 are the weekend joined to it.
    {
      year: 2024,
      name: 'Dragon Boat',
      nameZh: '端午节',
      off: ['2024-06-08', '2024-06-10'],
      workdays: [],
      status: official,
    },
    {
      year: 2024,
      name: 'Mid-Autumn',
      nameZh: '中秋节',
      off: ['2024-09-15', '2024-09-17'],
      workdays: ['2024-09-14'],
      status: official,
    },
    {
      year: 2024,
      name: 'National Day',
      nameZh: '国庆节',
      off: ['2024-10-01', '2024-10-07'],
      workdays: ['2024-09-29', '2024-10-12'],
      status: official,
    },
    // 2025 — 国办发明电〔2024〕12号
    {
      year: 2025,
      name: "New Year's Day",
      nameZh: '元旦',
      off: ['2025-01-01', '2025-01-01'],
      workdays: [],
      status: official,
    },
    {
      year: 2025,
      name: 'Spring Festival',
      nameZh: '春节',
      off: ['2025-01-28', '2025-02-04'],
      workdays: ['2025-01-26', '2025-02-08'],
      status: official,
    },
    {
      year: 2025,
      name: 'Qingming',
      nameZh: '清明节',
      off: ['2025-04-04', '2025-04-06'],
      workdays: [],
      status: official,
    },
    {
      year: 2025,
      name: 'Labour Day',
      nameZh: '劳动节',
      off: ['2025-05-01', '2025-05-05'],
      workdays: ['2025-04-27'],
      status: official,
    },
    {
      year: 2025,
      name: 'Dragon Boat',
      nameZh: '端午节',
      off: ['2025-05-31', '2025-06-02'],
      workdays: [],
      status: official,
    },
    {
      year: 2025,
      name: 'National Day and Mid-Autumn',
      nameZh: '国庆节、中秋节',
      off: ['2025-10-01', '2025-10-08'],
      workdays: ['2025-09-28', '2025-10-11'],
      status: official,
    },
    // 2026 — notice of 2025-11-04
    {
      year: 2026,
      name: "New Year's Day",
      nameZh: '元旦',
      off: ['2026-01-01', '2026-01-03'],
      workdays: ['2026-01-04'],
      status: official,
    },
    {
      year: 2026,
      name: 'Spring Festival',
      nameZh: '春节',
      off: ['2026-02-15', '2026-02-23'],
      workdays: ['2026-02-14', '2026-02-28'],
      status: official,
    },
    {
      year: 2026,
      name: 'Qingming',
      nameZh: '清明节',
      off: ['2026-04-04', '2026-04-06'],
      workdays: [],
      status: official,
    },
    {
      year: 2026,
      name: 'Labour Day',
      nameZh: '劳动节',
      off: ['2026-05-01', '2026-05-05'],
      workdays: ['2026-05-09'],
      status: official,
    },
    {
      year: 2026,
      name: 'Dragon Boat',
      nameZh: '端午节',
      off: ['2026-06-19', '2026-06-21'],
      workdays: [],
      status: official,
    },
    {
      year: 2026,
      name: 'Mid-Autumn',
      nameZh: '中秋节',
      off: ['2026-09-25', '2026-09-27'],
      workdays: [],
      status: official,
    },
    {
      year: 2026,
      name: 'National Day',
      nameZh: '国庆节',
      off: ['2026-10-01', '2026-10-07'],
      workdays: ['2026-09-20', '2026-10-10'],
      status: official,
    },
    // 2027 — PROJECTED (see header); replace with the official notice.
    {
      year: 2027,
      name: "New Year's Day",
      nameZh: '元旦',
      off: ['2027-01-01', '2027-01-03'],
      workdays: [],
      status: projected,
    },
    {
      year: 2027,
      name: 'Spring Festival',
      nameZh: '春节',
      off: ['2027-02-05', '2027-02-12'],
      workdays: ['2027-01-31', '2027-02-20'],
      status: projected,
    },
    {
      year: 2027,
      name: 'Qingming',
      nameZh: '清明节',
      off: ['2027-04-03', '2027-04-05'],
      workdays: [],
      status: projected,
    },
    {
      year: 2027,
      name: 'Labour Day',
      nameZh: '劳动节',
      off: ['2027-05-01', '2027-05-05'],
      workdays: ['2027-04-25'],
      status: projected,
    },
    {
      year: 2027,
      name: 'Dragon Boat',
      nameZh: '端午节',
      off: ['2027-06-09', '2027-06-09'],
      workdays: [],
      status: projected,
    },
    {
      year: 2027,
      name: 'Mid-Autumn',
      nameZh: '中秋节',
      off: ['2027-09-15', '2027-09-15'],
      workdays: [],
      status: projected,
    },
    {
      year: 2027,
      name: 'National Day',
      nameZh: '国庆节',
      off: ['2027-10-01', '2027-10-07'],
      workdays: ['2027-09-26', '2027-10-09'],
      status: projected,
    },
  ],
};
