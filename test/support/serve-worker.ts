// The app in its own process, so a test can kill -9 it as a crash would. argv: <data dir> [<start options as JSON>].
import { startApp, type StartOptions } from '../../electron/app'
import { useTestScryptCost } from '../../electron/services/passwords'

useTestScryptCost() // as in the test files (test/support/setup.ts)
const app = await startApp({ dataDir: process.argv[2], host: '127.0.0.1', port: 0, concurrency: 8, watchStalls: true, ...(JSON.parse(process.argv[3] ?? '{}') as Partial<StartOptions>) })
console.log(app.url)
