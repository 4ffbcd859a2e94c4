// The app in its own process, running one import, so a test can kill -9 it mid-import.
// argv: <data dir> <import request JSON>. Prints {"taskId","jobId"} once started, then
// {"packagesDone": n} as packages commit, until it is killed.
import { startApp } from '../../electron/app'

const [dataDir, requestJson] = process.argv.slice(2)
const app = await startApp({ dataDir, host: '127.0.0.1', port: 0, concurrency: 4 })
const { taskId, jobId } = await app.graph.startImport(JSON.parse(requestJson), { username: 'admin', isAdmin: true })
console.log(JSON.stringify({ taskId, jobId }))
let last = -1
setInterval(() => {
  void app.graph.importStatus(taskId).then((s) => {
    const done = s.report?.packagesDone ?? 0
    if (done !== last) console.log(JSON.stringify({ packagesDone: done, status: s.status }))
    last = done
  })
}, 10)
