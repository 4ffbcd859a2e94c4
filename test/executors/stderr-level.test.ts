// stderr lines that are warnings log as WARN, not ERROR (#13.5): a script that warns has not failed.
import { describe, expect, it } from 'vitest'
import { stderrLevels } from '../../electron/executors/stderr-level'

const levels = (lines: string[]) => {
  const levelOf = stderrLevels()
  return lines.map((l) => `${levelOf(l)} ${l}`)
}

describe('stderrLevels', () => {
  it('takes the usual warning forms for warnings', () => {
    for (const line of ['WARNING: pip is old', '[WARN] disk almost full', 'warning: unused variable', 'tar: warning: file changed', 'x.c:3:5: warning: implicit declaration', '/tmp/s.py:2: DeprecationWarning: old API', 'UserWarning: careful']) {
      expect(levels([line])).toEqual([`WARN ${line}`])
    }
  })

  it('keeps errors errors, also when they mention warnings later', () => {
    for (const line of ['Traceback (most recent call last):', 'ls: cannot access x: No such file or directory', 'error: 3 warnings: treated as errors', 'ValueError: bad', 'warnings are off']) {
      expect(levels([line])).toEqual([`ERROR ${line}`])
    }
  })

  it('counts the indented source line under a Python warning as part of it', () => {
    expect(levels(['/tmp/s.py:2: UserWarning: careful', '  warnings.warn("careful")', 'Traceback (most recent call last):', '  File "s.py", line 3'])).toEqual([
      'WARN /tmp/s.py:2: UserWarning: careful',
      'WARN   warnings.warn("careful")',
      'ERROR Traceback (most recent call last):',
      'ERROR   File "s.py", line 3',
    ])
  })
})
