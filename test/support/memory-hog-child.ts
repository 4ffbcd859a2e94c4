// A child (child-process.ts startChild) with a memory limit that, once told, grows its resident memory
// 16 MB at a time until its watchdog kills it (test/executors/child-memory-limit.test.ts).
import { dieWithParent } from '../../electron/child-process'

dieWithParent({ maxRssBytes: Number(process.env.HOG_LIMIT_BYTES) })
const held: Buffer[] = []
process.once('message', () => {
  const grow = () => {
    held.push(Buffer.alloc(16 * 2 ** 20, 1)) // filled: resident, not only reserved
    process.send!({ rss: process.memoryUsage.rss() })
    setTimeout(grow, 5)
  }
  grow()
})
