export { type Calendar, createCalendar, PRC_CALENDAR } from './calendar.js';
export {
  chooseDayProfile,
  DAY_PROFILE_DEFAULTS,
  type DayProfile,
  type DayProfileSource,
  estimateDayProfile,
  flatDayProfile,
  type ProfileHistory,
} from './day-profile.js';
export { type CalendarData, type HolidayEntry, PRC_CALENDAR_2024_2027 } from './prc-holidays.js';
