// A disabled user's running exports stop (#9: not engine jobs, so Engine.failWhere missed them; at the
// rate floor a 128 MiB download held its slot ~8 min): exporter.stopUser, called on users.onChange
// (app.ts). Real export workers.
import { setTimeout as realSleep } from 'node:timers/promises'
import { expect, it } from 'vitest'
import { createExporter } from '../../electron/services/export/exporter'
import { csvOptions, pacedExportSuite, storedSet } from '../support/export-set'

const suite = pacedExportSuite(1)

it("stops a user's running exports and leaves other users' alone", async () => {
  const exporter = createExporter(suite.t.file, suite.t.store.results, undefined, { warn: () => undefined })
  // 200,000 rows (~1.3 MB): more than the answer's stream holds, so an unread one stays running
  const set = storedSet(suite.t, [{ name: 'n', type: 'INTEGER' }], Array.from({ length: 200_000 }, (_, i) => [i]))
  const options = { ...csvOptions([0]), maxRows: 200_000 }
  const alice = await exporter.export(set, options, [], undefined, false, 'alice')
  // bob's may wait for alice's slot (one export worker on 2 cores)
  const bobs = exporter.export(set, options, [], undefined, false, 'bob')
  const errors: string[] = []
  alice.stream.on('error', (e) => errors.push(e.message))
  alice.done.catch(() => undefined)
  expect(exporter.stopUser('alice', 'the account alice was disabled')).toBe(1)
  await realSleep(50)
  expect(alice.stream.destroyed).toBe(true)
  expect(errors).toEqual(['export stopped: the account alice was disabled'])
  // bob's (started once alice's slot is free) is read to its end
  const bob = await bobs
  const parts: Buffer[] = []
  for await (const part of bob.stream) parts.push(part as Buffer)
  expect(Buffer.concat(parts).toString('utf8').trimEnd().split('\n')).toHaveLength(200_001)
}, 60_000)
