// The two servers of the REST-overhead bench, each in its own process (argv[2]):
// `jobdesk <data dir>` starts the whole app; `bare` starts a fastify with one route answering a
// JSON object shaped like a job view. Each prints its URL on the first line of stdout.
import Fastify from 'fastify'
import { startApp } from '../electron/app'

const kind = process.argv[2]
if (kind === 'jobdesk') {
  const app = await startApp({ dataDir: process.argv[3], host: '127.0.0.1', port: 0, concurrency: 8 })
  console.log(app.url)
} else if (kind === 'bare') {
  const app = Fastify({ logger: false })
  const view = {
    id: 1, uuid: '6f1f1c1e-8c7b-4f2e-9d51-0a3c5b6e7f80', kind: 'script', name: 'echo', status: 'succeeded', submitter: 'admin',
    createdAt: 1764460800000, startedAt: 1764460800010, finishedAt: 1764460800050, progress: null, labels: {}, error: null,
  }
  app.get('/status/:id', async (req) => ({ ...view, id: Number((req.params as { id: string }).id) }))
  console.log(await app.listen({ host: '127.0.0.1', port: 0 }))
} else {
  throw new Error(`usage: rest-servers.ts jobdesk <data dir> | bare`)
}
