// The app in its own process, so a test can kill -9 it as a crash would. argv: <data dir>.
import { startApp } from '../../electron/app'
import { useTestScryptCost } from '../../electron/services/passwords'

useTestScryptCost() // as in the test files (test/support/setup.ts)
const app = await startApp({ dataDir: process.argv[2], host: '127.0.0.1', port: 0, concurrency: 8, watchStalls: true })
console.log(app.url)
