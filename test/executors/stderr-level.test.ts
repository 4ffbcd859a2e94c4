// A stderr line logs at the level it states; one that states none is plain output (INFO), not an
// error: a script that warns, traces with `set -x` or logs through Python's logging has not failed
// (#13.5). The lines below are what python3, sh and Linkis-style engines really print.
import { describe, expect, it } from 'vitest'
import { statedLevel, stderrLevels } from '../../electron/executors/stderr-level'

const levels = (lines: string[]) => {
  const levelOf = stderrLevels()
  return lines.map((l) => `${levelOf(l).level} ${l}`)
}

describe('stderrLevels', () => {
  it('takes the usual warning forms for warnings', () => {
    for (const line of ['WARNING: pip is old', '[WARN] disk almost full', 'warning: unused variable', 'tar: warning: file changed', 'x.c:3:5: warning: implicit declaration', '/tmp/s.py:2: DeprecationWarning: old API', 'UserWarning: careful']) {
      expect(levels([line])).toEqual([`WARN ${line}`])
    }
  })

  it('keeps errors errors, also when they mention warnings later', () => {
    for (const line of ['Traceback (most recent call last):', 'error: 3 warnings: treated as errors', 'ValueError: bad', 'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)', 'KeyboardInterrupt', 'make: *** [Makefile:2: all] Error 1', 'Exception in thread "main" java.lang.IllegalStateException: x']) {
      expect(levels([line])).toEqual([`ERROR ${line}`])
    }
  })

  it('counts the indented source line under a Python warning as part of it', () => {
    expect(levels(['/tmp/s.py:2: UserWarning: careful', '  warnings.warn("careful")', 'Traceback (most recent call last):', '  File "s.py", line 3', '    raise ValueError("bad")', 'ValueError: bad'])).toEqual([
      'WARN /tmp/s.py:2: UserWarning: careful',
      'WARN   warnings.warn("careful")',
      'ERROR Traceback (most recent call last):',
      'ERROR   File "s.py", line 3',
      'ERROR     raise ValueError("bad")',
      'ERROR ValueError: bad',
    ])
  })

  it("takes the level Python's logging and Linkis-style engines state after a timestamp", () => {
    expect(
      levels([
        '2026-11-30 19:37:59,331 WARNING disk low',
        '2026-11-30 19:37:59,331 ERROR it broke',
        'WARNING:root:disk low',
        'ERROR:etl:load failed',
        'INFO:etl:loaded 3 rows',
        '2026-11-30 10:00:00.123 INFO [main] Program is substituting variables for you',
        '2026-11-30 10:00:00.456 ERROR [main] Task is Failed,errorMsg: NullPointerException',
        '[2026-11-30T10:00:00Z] [DEBUG] connecting',
        '2026-11-30 10:00:01.002 [Linkis-Default-Scheduler-Thread-3] WARN  org.apache.linkis.Foo - slow',
      ]),
    ).toEqual([
      'WARN 2026-11-30 19:37:59,331 WARNING disk low',
      'ERROR 2026-11-30 19:37:59,331 ERROR it broke',
      'WARN WARNING:root:disk low',
      'ERROR ERROR:etl:load failed',
      'INFO INFO:etl:loaded 3 rows',
      'INFO 2026-11-30 10:00:00.123 INFO [main] Program is substituting variables for you',
      'ERROR 2026-11-30 10:00:00.456 ERROR [main] Task is Failed,errorMsg: NullPointerException',
      'INFO [2026-11-30T10:00:00Z] [DEBUG] connecting',
      'WARN 2026-11-30 10:00:01.002 [Linkis-Default-Scheduler-Thread-3] WARN  org.apache.linkis.Foo - slow',
    ])
  })

  it('logs `set -x` traces and stderr that states no level as plain output, not as errors', () => {
    const levelOf = stderrLevels()
    expect(['+ echo warn me', '++ date', "+ grep -c ERROR log.txt", 'a stderr line that mentions a warning', 'plain stderr', 'ls: cannot access x: No such file or directory'].map((l) => [l, levelOf(l)])).toEqual([
      ['+ echo warn me', { level: 'INFO', plain: false }],
      ['++ date', { level: 'INFO', plain: false }],
      ['+ grep -c ERROR log.txt', { level: 'INFO', plain: false }],
      ['a stderr line that mentions a warning', { level: 'INFO', plain: true }],
      ['plain stderr', { level: 'INFO', plain: true }],
      ['ls: cannot access x: No such file or directory', { level: 'INFO', plain: true }],
    ])
  })

  it('does not take a level word inside a sentence for a stated level', () => {
    expect(statedLevel('the ERROR column is empty')).toBeNull()
    expect(statedLevel('counted 3 WARN lines')).toBeNull()
    expect(statedLevel('warnings are off')).toBeNull()
  })
})
