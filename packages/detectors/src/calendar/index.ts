export { type Calendar, createCalendar, PRC_CALENDAR } from './calendar.js';
export {
  AFTER_HOLIDAY_DAYS,
  CALENDAR_EFFECTS,
  type CalendarEffect,
  calendarEffectsOf,
  LONG_BREAK_DAYS,
  PERIOD_END_DAYS,
} from './calendar-effects.js';
export {
  type CalendarFactors,
  chooseDayProfile,
  DAY_PROFILE_DEFAULTS,
  type DayProfile,
  type DayProfileSource,
  estimateDayProfile,
  flatDayProfile,
  type ProfileHistory,
  withCalendarFactors,
} from './day-profile.js';
export { type CalendarData, type HolidayEntry, PRC_CALENDAR_2024_2027 } from './prc-holidays.js';
