// Linkis's variable family, checked against the values of Linkis's own tests (VariableUtilsTest,
// VariableOperationTest) and its docs (architecture/commons/variable.md, user-guide/dynamic-variables.md).
import { describe, expect, it } from 'vitest'
import { substituteVariables, type VariableContext } from '../../electron/services/variables/substitute'

const NOW = new Date(2021, 2, 10, 15, 30, 5) // 2021-03-10 15:30:05 local: run_date defaults to 20210309
const ctx = (over: Partial<VariableContext> = {}): VariableContext => ({ language: 'sql', executeUser: 'hadoop', submitUser: 'admin', now: NOW, ...over })
const sub = (code: string, over: Partial<VariableContext> = {}) => substituteVariables(code, ctx(over)).code

describe('built-in date variables', () => {
  it('gives the values of Linkis VariableUtilsTest for run_date 20200228', () => {
    const code = [
      "'${run_date}'",
      "'${run_today}'",
      "'${run_year_begin}'",
      "'${run_year_begin_std-3}'",
      "'${run_year_end+10}'",
      "'${run_year_end_std}'",
      "'${run_half_year_begin-1}'",
      "'${run_half_year_begin_std}'",
      "'${run_half_year_end}'",
      "'${run_last_mon_now}'",
      "'${run_last_mon_now_std}'",
      "'${submit_user}'",
      "'${execute_user}'",
      "'${run_today_h+12}'",
    ].join('\n')
    expect(sub(code, { variables: { run_date: '20200228' } }).split('\n')).toEqual([
      "'20200228'",
      "'20200229'",
      "'20200101'",
      "'2017-01-01'",
      "'20301231'",
      "'2020-12-31'",
      "'20190701'",
      "'2020-01-01'",
      "'20200630'",
      "'202001'",
      "'2020-01'",
      "'admin'",
      "'hadoop'",
      "'2020030103'", // run_today 20200229 at 15h, + 12 hours
    ])
  })

  it('defaults run_date to yesterday and derives the whole family from it', () => {
    const names = {
      run_date: '20210309',
      run_date_std: '2021-03-09',
      run_today: '20210310',
      run_today_std: '2021-03-10',
      run_month_begin: '20210301',
      run_month_begin_std: '2021-03-01',
      run_month_end: '20210331',
      run_month_end_std: '2021-03-31',
      run_month_now_begin: '20210201', // the month before run_today's, as upstream's code (not its doc)
      run_month_now_end_std: '2021-02-28',
      run_quarter_begin: '20210101',
      run_quarter_begin_std: '2021-01-01',
      run_quarter_end: '20210331',
      run_quarter_end_std: '2021-03-31',
      run_half_year_begin: '20210101',
      run_half_year_end: '20210630',
      run_half_year_end_std: '2021-06-30',
      run_year_begin: '20210101',
      run_year_end: '20211231',
      run_year_end_std: '2021-12-31',
      run_mon: '202103',
      run_mon_std: '2021-03',
      run_mon_start: '202103',
      run_mon_end: '202112',
      run_mon_now: '202103',
      run_current_mon_now_std: '2021-03',
      run_today_h: '2021031015',
      run_today_hour_std: '2021-03-10 15',
    }
    const code = Object.keys(names).map((n) => `\${${n}}`).join(' ')
    expect(sub(code)).toBe(Object.values(names).join(' '))
  })

  it('steps each variable in its own unit: days, months, quarters, half-years, years', () => {
    const v = { variables: { run_date: '20210331' } }
    expect(sub('${run_date-1} ${run_date+1} ${run_date_std-31} ${run_today+1}', v)).toBe('20210330 20210401 2021-02-28 20210402')
    expect(sub('${run_month_begin-1} ${run_month_end-1} ${run_month_end_std+11}', v)).toBe('20210201 20210228 2022-02-28')
    expect(sub('${run_quarter_begin-1} ${run_quarter_end+1} ${run_quarter_begin_std-4}', v)).toBe('20201001 20210630 2020-01-01')
    expect(sub('${run_half_year_begin+1} ${run_half_year_end-1}', v)).toBe('20210701 20201231')
    expect(sub('${run_year_begin-1} ${run_year_end_std+1}', v)).toBe('20200101 2022-12-31')
    expect(sub('${run_mon-1} ${run_mon_std+10} ${ run_date - 7 }', v)).toBe('202102 2022-01 20210324')
  })

  it('takes an operand from another variable, as upstream does', () => {
    expect(sub('${run_date-days}', { variables: { days: '7', run_date: '20210310' } })).toBe('20210303')
  })

  it('refuses a run_date that is not a real yyyyMMdd date, naming it', () => {
    expect(() => sub('${run_date}', { variables: { run_date: '20210230' } })).toThrow(/run_date must be a date written yyyyMMdd, not "20210230"/)
    expect(() => sub('${run_date}', { variables: { run_date: '2021-03-01' } })).toThrow(/run_date must be a date/)
  })

  it('refuses expressions a date cannot take', () => {
    expect(() => sub('select ${run_date*2}')).toThrow(/\$\{run_date\*2\} \(line 1\): run_date is a date and takes only \+ or -/)
    expect(() => sub('\n${run_quarter_begin-x}')).toThrow(/line 2\): run_quarter_begin steps by a whole number of quarters, not "x"/)
    expect(() => sub('${run_date-}')).toThrow(/not a complete expression/)
  })
})

describe('custom variables', () => {
  it('does exact arithmetic on numbers and keeps leading-zero values as text (Linkis testReplaceBigDecimal)', () => {
    const variables = { num: '301', long_num: '9223372036854775807', big_num: '3000102010000000000000000200001', str_num: '03000102010000000000000000200001' }
    const code = '${num} ${num-2} ${num+2} ${long_num+1} ${big_num-1} ${str_num}'
    expect(sub(code, { variables })).toBe('301 299 303 9223372036854775808 3000102010000000000000000200000 03000102010000000000000000200001')
    expect(sub('${f*2} ${f/4} ${g/3} ${h*1}', { variables: { f: '20.1', g: '1', h: '2.0' } })).toBe('40.2 5.025 0.3333333333333333333333333333333333 2')
    expect(() => sub('${g/0}', { variables: { g: '1' } })).toThrow(/division by zero/)
  })

  it('joins strings with + and refuses other operators on text', () => {
    expect(sub("'${name+_suffix}'", { variables: { name: 'db' } })).toBe("'db_suffix'")
    expect(() => sub('${name*2}', { variables: { name: 'db' } })).toThrow(/name is text and takes only \+/)
  })

  it('script @set lines win over the job variables, which win over run_date (Linkis scope order)', () => {
    const code = '--@set f=20.1\n--@set run_date=20200101;\nselect ${f}, ${g}, ${run_date}'
    expect(sub(code, { variables: { f: '1', g: '2', run_date: '20210101' } }).split('\n')[2]).toBe('select 20.1, 2, 20200101')
    expect(substituteVariables('#@set who=py\nprint("${who}")', ctx({ language: 'python' })).code).toBe('#@set who=py\nprint("py")')
  })

  it('user, execute_user and submit_user come from the server; derived dates cannot be given', () => {
    const r = substituteVariables('${user} ${run_month_begin}', ctx({ variables: { user: 'mallory', run_month_begin: '19990101', run_date: '20210310' } }))
    expect(r.code).toBe('hadoop 20210301')
    expect(r.warnings).toEqual([
      'variable user is set by JobDesk and cannot be given: "mallory" was ignored',
      'variable run_month_begin is set by JobDesk and cannot be given: "19990101" was ignored (set run_date to move the date variables)',
    ])
  })

  it('reports each distinct expression with its value, for the job log', () => {
    const r = substituteVariables('${run_date-1} ${run_date-1} &{yyyy}', ctx({ variables: { run_date: '20210310' } }))
    expect(r.expressions).toEqual([
      { text: '${run_date-1}', value: '20210309' },
      { text: '&{yyyy}', value: '2021' },
    ])
  })
})

describe('unknown names', () => {
  it('SQL and Python refuse an unknown ${name}, naming it and its line', () => {
    expect(() => sub('select 1;\nselect ${missing}, ${run_date}, ${other}')).toThrow(
      'unknown variables ${missing} (line 2), ${other} (line 2): give them values in the job\'s variables or with a "--@set name=value" line',
    )
    try {
      substituteVariables('print(1)\n\nprint("${whom}")', ctx({ language: 'python' }))
      expect.unreachable()
    } catch (e) {
      expect(e).toMatchObject({ kind: 'invalid', code: 'unknown_variable', field: 'code', line: 3, message: expect.stringContaining('"#@set name=value"') })
    }
  })

  it('an unknown name on a comment line is left as written', () => {
    expect(sub('-- ${not_yet}\nselect ${run_date}', { variables: { run_date: '20210101' } })).toBe('-- ${not_yet}\nselect 20210101')
  })

  it("shell keeps its own ${VAR} forms but refuses a misspelt run_ name", () => {
    const shell = (code: string) => substituteVariables(code, ctx({ language: 'shell', variables: { run_date: '20210310' } })).code
    expect(shell('echo ${HOME} ${1} ${x-default} ${PATH:-/bin} ${#arr} ${run_date-1} ${user}')).toBe('echo ${HOME} ${1} ${x-default} ${PATH:-/bin} ${#arr} 20210309 hadoop')
    expect(() => shell('echo ${run_quater_begin}')).toThrow(/unknown variable \$\{run_quater_begin\} \(line 1\)/)
  })
})

describe('&{pattern%step} placeholders (dynamic-variables.md)', () => {
  it('formats run_date at the current time, moved by each step', () => {
    const v = { variables: { run_date: '20210402' } }
    expect(sub('&{yyyy-01-01} &{yyyy-01-01%-2y} &{yyyy-MM-01%-2M} &{yyyy-MM-dd%-2d} &{yyyyMMdd%-1d} &{yyyyMM01%-1M} &{HH%-1H}', v)).toBe(
      '2021-01-01 2019-01-01 2021-02-01 2021-03-31 20210401 20210301 14',
    )
    expect(sub("abc&{yyyyMMdd%-1d}def &{yyyy MM ----- HH%-1H} &{'Q'Q yyyy}", v)).toBe('abc20210401def 2021 04 ----- 14 Q2 2021')
  })

  it('leaves a placeholder it cannot read as written, as upstream does', () => {
    expect(sub('&{yyyyMMdd%-xd} &{bogus} demo{ds=20220516}')).toBe('&{yyyyMMdd%-xd} &{bogus} demo{ds=20220516}')
  })
})
