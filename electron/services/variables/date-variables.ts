// Linkis's built-in date variables (linkis-common VariableUtils.initAllDateVars, CustomDateType.scala,
// DateTypeUtils.scala): every one derives from run_date, and `${name±N}` steps in the variable's own
// unit: days for run_date/run_today, months for the month family, quarters, half-years, years, hours.

import { DATE_VARIABLES } from '../../../shared/script-variables'
import {
  addDays,
  addHours,
  addMonths,
  civil,
  formatDay,
  formatHour,
  formatMonth,
  periodEdge,
  type Civil,
} from './civil-date'

/** A value that `${name+N}` / `${name-N}` can step: the unit names it in errors. */
export interface SteppedValue {
  value: string
  unit: 'day' | 'month' | 'quarter' | 'half-year' | 'year' | 'hour'
  step(n: number): string
}

type DateVariable = (typeof DATE_VARIABLES)[number]

const day = (base: Civil, std: boolean): SteppedValue => ({
  value: formatDay(base, std),
  unit: 'day',
  step: (n) => formatDay(addDays(base, n), std),
})

/** CustomMonthType / CustomQuarterType / CustomHalfYearType / CustomYearType: begin or end of the period, stepped by periods. */
function period(base: Civil, months: 1 | 3 | 6 | 12, std: boolean, end: boolean): SteppedValue {
  const unit = ({ 1: 'month', 3: 'quarter', 6: 'half-year', 12: 'year' } as const)[months]
  return {
    value: formatDay(periodEdge(base, months, end), std),
    unit,
    // months and years step from the date itself; quarters and half-years from the period's first day
    step: (n) => formatDay(periodEdge(months === 1 || months === 12 ? addMonths(base, n * months) : addMonths(periodEdge(base, months, false), n * months), months, end), std),
  }
}

/** CustomMonType: yyyyMM; its `end` form is December of that year (DateTypeUtils.getMon), as upstream. */
function mon(base: Civil, std: boolean, end: boolean): SteppedValue {
  const show = (c: Civil) => formatMonth(end ? civil(c.getUTCFullYear(), 12, 1) : c, std)
  return { value: show(base), unit: 'month', step: (n) => show(addMonths(base, n)) }
}

const hour = (base: Civil, std: boolean): SteppedValue => ({
  value: formatHour(base, std),
  unit: 'hour',
  step: (n) => formatHour(addHours(base, n), std),
})

/**
 * The whole date family for one run_date. `todayHour` and `todayHourAlt` are run_today_h and
 * run_today_hour (by default run_today at the current hour; a job may set either, as yyyyMMddHH).
 *
 * Follows the code where the Linkis docs differ: run_month_now_begin/_end are the month *before*
 * run_today's (VariableUtils keeps that for compatibility with WTSS; variable.md says run_today's
 * month), and run_mon_end is December of run_mon's year (DateTypeUtils.getMon).
 */
export function dateVariables(runDate: Civil, todayHour: Civil, todayHourAlt: Civil): Record<DateVariable, SteppedValue> {
  const today = addDays(runDate, 1)
  const prevMonthOfToday = addMonths(periodEdge(today, 1, false), -1)
  const monOfToday = periodEdge(today, 1, false)
  const monOfRunDate = periodEdge(runDate, 1, false)
  return {
    run_date: day(runDate, false),
    run_date_std: day(runDate, true),
    run_today: day(today, false),
    run_today_std: day(today, true),
    run_month_begin: period(runDate, 1, false, false),
    run_month_begin_std: period(runDate, 1, true, false),
    run_month_end: period(runDate, 1, false, true),
    run_month_end_std: period(runDate, 1, true, true),
    run_month_now_begin: period(prevMonthOfToday, 1, false, false),
    run_month_now_begin_std: period(prevMonthOfToday, 1, true, false),
    run_month_now_end: period(prevMonthOfToday, 1, false, true),
    run_month_now_end_std: period(prevMonthOfToday, 1, true, true),
    run_quarter_begin: period(runDate, 3, false, false),
    run_quarter_begin_std: period(runDate, 3, true, false),
    run_quarter_end: period(runDate, 3, false, true),
    run_quarter_end_std: period(runDate, 3, true, true),
    run_half_year_begin: period(runDate, 6, false, false),
    run_half_year_begin_std: period(runDate, 6, true, false),
    run_half_year_end: period(runDate, 6, false, true),
    run_half_year_end_std: period(runDate, 6, true, true),
    run_year_begin: period(runDate, 12, false, false),
    run_year_begin_std: period(runDate, 12, true, false),
    run_year_end: period(runDate, 12, false, true),
    run_year_end_std: period(runDate, 12, true, true),
    run_mon: mon(monOfRunDate, false, false),
    run_mon_std: mon(monOfRunDate, true, false),
    run_mon_start: mon(monOfRunDate, false, false),
    run_mon_start_std: mon(monOfRunDate, true, false),
    run_mon_end: mon(monOfRunDate, false, true),
    run_mon_end_std: mon(monOfRunDate, true, true),
    run_last_mon_now: mon(addMonths(monOfToday, -1), false, false),
    run_last_mon_now_std: mon(addMonths(monOfToday, -1), true, false),
    run_current_mon_now: mon(monOfToday, false, false),
    run_current_mon_now_std: mon(monOfToday, true, false),
    run_mon_now: mon(monOfToday, false, false),
    run_mon_now_std: mon(monOfToday, true, false),
    run_today_h: hour(todayHour, false),
    run_today_h_std: hour(todayHour, true),
    run_today_hour: hour(todayHourAlt, false),
    run_today_hour_std: hour(todayHourAlt, true),
  }
}
