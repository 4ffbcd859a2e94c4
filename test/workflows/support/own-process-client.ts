// A client in a node process of its own: building, sending or gathering megabytes of JSON on the
// test's event loop, which also runs the probe client, held the probe itself (460-1200 ms for a 15 MB
// body built here; 5 answers of 4 MB gathered here, 600-900 ms), while the server stalled far less
// (measured in the served process). The measure is the server's.
import { execFile } from 'node:child_process'

function runScript<T>(script: string): Promise<T> {
  return new Promise((ok, fail) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 1024 * 1024 }, (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout) as T))),
  )
}

/** POSTs `JSON.stringify(<bodyExpression>)` as JSON from a node process of its own; resolves with the answer's status and text. */
export function postFromOwnProcess(url: string, bodyExpression: string): Promise<{ status: number; body: string }> {
  return runScript(`const r = await fetch(${JSON.stringify(url)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(${bodyExpression}) })
process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() }))`)
}

/** GETs `url` `times` times at once, with `headers`, from a node process of its own; resolves with each answer's status and size in bytes. */
export function getFromOwnProcess(url: string, headers: Record<string, string>, times = 1): Promise<{ status: number; bytes: number }[]> {
  return runScript(`const all = await Promise.all(Array.from({ length: ${times} }, async () => {
  const r = await fetch(${JSON.stringify(url)}, { headers: ${JSON.stringify(headers)} })
  return { status: r.status, bytes: (await r.arrayBuffer()).byteLength }
}))
process.stdout.write(JSON.stringify(all))`)
}
