// #9, importwords: a GES import whose import stops (here at its graph's size bound) is told in the
// client's own file names: GES's job status carries the OBS paths it was given (schema_path,
// vertexset_path…, reference/jobapis.md C.1), never the work files the import split them into
// (`.ges-import/<job>/0.v.0.csv`), which a new-user trial read in fail_reason.
import { expect, it } from 'vitest'
import { ADMIN, upload } from '../graph/support'
import { gesSdkSuite } from './support'

const suite = gesSdkSuite()

const schema = `<?xml version="1.0" encoding="ISO-8859-1"?>
<PMML version="3.0" xmlns="http://www.dmg.org/PMML-3-0">
  <labels>
    <label name="user"><properties>
      <property name="Name" cardinality="single" dataType="string"/>
    </properties></label>
  </labels>
</PMML>`

it('a GES import stopped by its graph’s bound names the client’s own files, never its work files', async () => {
  const t = suite.t
  // a bound of 256 KiB: the labels fit, 2 MB of vertices do not
  await t.app.graph.createGraph('bounded', ADMIN, { maxSizeGb: 256 / 1024 / 1024 })
  upload(t.dir, 'bucket/bounded/schema.xml', schema)
  const rows = Array.from({ length: 8000 }, (_, i) => `u${i},user,${'n'.repeat(240)}${i}`).join('\n') + '\n'
  upload(t.dir, 'bucket/bounded/vertex.csv', rows)
  const started = await suite.signed('POST', '/v2/p1/graphs/bounded/import-graph', [], { schema_path: 'bucket/bounded/schema.xml', vertexset_path: 'bucket/bounded/vertex.csv' })
  expect(started.status, JSON.stringify(started.body)).toBe(200)
  const jobId = started.body.job_id
  await t.app.engine.waitFor(t.app.store.jobs.getByUuid(jobId)!.id)
  const status = await suite.signed('GET', `/v2/p1/graphs/bounded/jobs/${jobId}/status`)
  const text = JSON.stringify(status.body)
  expect(status.body.status, text).toBe('failed')
  expect(status.body.fail_reason, text).toMatch(/past its bound of max_size_GB/)
  expect(status.body.fail_reason, text).toMatch(/\nbucket\/bounded\/vertex\.csv: 0 of 8,000 data lines imported\.\n$/)
  expect(text).not.toMatch(/\.ges-import|0\.v\.0\.csv/)
  expect(status.body.job_detail.vertexset_path[0]).toMatchObject({ path: 'bucket/bounded/vertex.csv', total_lines: 8000 })
  const v1 = await suite.signed('GET', `/v1.0/p1/graphs/bounded/jobs/${jobId}/status`)
  expect(JSON.stringify(v1.body)).not.toMatch(/\.ges-import|0\.v\.0\.csv/)
})
