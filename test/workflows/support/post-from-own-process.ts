// A client POST sent from a node process of its own: building and sending megabytes of JSON on the
// test's event loop, which also runs the probe client, held the probe itself (the measure is the server's).
import { execFile } from 'node:child_process'

/** POSTs `JSON.stringify(<bodyExpression>)` as JSON from a node process of its own; resolves with the answer's status and text. */
export function postFromOwnProcess(url: string, bodyExpression: string): Promise<{ status: number; body: string }> {
  const script = `const r = await fetch(${JSON.stringify(url)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(${bodyExpression}) })
process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() }))`
  return new Promise((ok, fail) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 1024 * 1024 }, (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout)))),
  )
}
