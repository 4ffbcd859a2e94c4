// The app in a child process on a data folder (test/support/serve-worker): the durability tests kill it
// with SIGKILL and start it again on the same folder.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { supportScriptArgs } from '../../support/support-script'

/** Starts the served app on `dir`; resolves with the child and the URL it prints first; rejects if it exits before. */
export function startWorker(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...supportScriptArgs('serve-worker'), dir], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`worker exited (${code})`)))
    createInterface({ input: child.stdout! }).once('line', (url) => ok({ child, url }))
  })
}
