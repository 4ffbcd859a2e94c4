// `${name}` substitution in script code, as Linkis does with params.variable and its built-in
// date variables (run_date is yesterday, the usual "data date" of a daily batch).

const pad = (n: number) => String(n).padStart(2, '0')
const ymd = (d: Date, sep = '') => `${d.getFullYear()}${sep}${pad(d.getMonth() + 1)}${sep}${pad(d.getDate())}`

export function builtinVariables(now: Date = new Date()): Record<string, string> {
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)
  const monthBegin = new Date(yesterday.getFullYear(), yesterday.getMonth(), 1)
  const monthEnd = new Date(yesterday.getFullYear(), yesterday.getMonth() + 1, 0)
  return {
    run_date: ymd(yesterday),
    run_date_std: ymd(yesterday, '-'),
    run_today: ymd(now),
    run_today_std: ymd(now, '-'),
    run_month_begin: ymd(monthBegin),
    run_month_begin_std: ymd(monthBegin, '-'),
    run_month_end: ymd(monthEnd),
    run_month_end_std: ymd(monthEnd, '-'),
    run_mon: `${yesterday.getFullYear()}${pad(yesterday.getMonth() + 1)}`,
  }
}

/** Replaces `${name}` with the user's variables, then the built-ins; unknown names stay as written. */
export function substituteVariables(code: string, variables: Record<string, unknown> = {}, now?: Date): string {
  const values: Record<string, string> = { ...builtinVariables(now) }
  for (const [k, v] of Object.entries(variables)) if (v !== undefined && v !== null) values[k] = String(v)
  return code.replace(/\$\{\s*([A-Za-z_][\w.]*)\s*\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole))
}
