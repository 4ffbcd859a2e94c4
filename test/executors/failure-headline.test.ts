import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../electron/engine/engine'
import { readHeadline } from '../../electron/executors/failure-headline'
import { createPythonExecutor, createShellExecutor } from '../../electron/executors/process'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

const started: { engine: Engine; cleanup: () => void }[] = []
afterEach(() => {
  for (const s of started.splice(0)) {
    void s.engine.stop()
    s.cleanup()
  }
})

function run(executor: 'shell' | 'python', code: string) {
  const t = tempStore()
  const options = { workRoot: join(t.dir, 'work') }
  const engine = makeEngine(t.store, { executors: [createShellExecutor(options), createPythonExecutor(options)] })
  started.push({ engine, cleanup: t.cleanup })
  const job = submit(engine, [{ name: 'main', executor, spec: { code } }])
  return engine.waitFor(job.id)
}

describe('a failed script says why in its headline (#8.8)', () => {
  it('Python: the exception and the line of the script, from the traceback', async () => {
    const done = await run('python', 'import json\ndef f():\n    return 1/0\nprint(json.dumps({"a": 1}))\nf()\n')
    expect(done.status).toBe('failed')
    expect(done.error).toBe('task main: ZeroDivisionError: division by zero (line 3); exit code 1')
  })

  it('shell: the last error line, with the line sh names', async () => {
    const done = await run('shell', 'echo fine\nnosuchcommand --flag\n')
    expect(done.error).toBe('task main: nosuchcommand: not found (line 2); exit code 127')
    const plain = await run('shell', 'ls /no/such/dir; exit 2')
    expect(plain.error).toMatch(/^task main: ls: cannot access '\/no\/such\/dir': No such file or directory; exit code 2$/)
  })

  it('reads tracebacks through library frames, syntax errors and chained exceptions', () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/data/work/1234/script.py", line 7, in <module>',
      '    main()',
      '  File "/data/work/1234/script.py", line 5, in main',
      '    json.loads("{")',
      '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
      '    return _default_decoder.decode(s)',
      'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
    ]
    expect(readHeadline('python', traceback)).toEqual({
      text: 'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
      line: 5,
    })
    const syntax = ['  File "/w/script.py", line 1', '    x = (', '        ^', "SyntaxError: '(' was never closed"]
    expect(readHeadline('python', syntax)).toEqual({ text: "SyntaxError: '(' was never closed", line: 1 })
    const chained = [
      ...traceback.slice(0, 3),
      'KeyError: 1',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/w/script.py", line 9, in <module>',
      'ValueError: bad',
    ]
    expect(readHeadline('python', chained)).toEqual({ text: 'ValueError: bad', line: 9 })
    expect(readHeadline('shell', ['/bin/sh: line 4: foo: command not found'])).toEqual({ text: 'foo: command not found', line: 4 })
    expect(readHeadline('shell', ['', '  '])).toBeNull()
    expect(readHeadline('shell', ['x'.repeat(5000)])!.text.length).toBeLessThanOrEqual(300)
  })
})
