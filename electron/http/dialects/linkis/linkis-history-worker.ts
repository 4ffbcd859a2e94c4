// A worker thread that builds one page of Linkis job history (history-page.ts) from its own
// read-only connection: the jobs' stored inputs are read and parsed here, never on the main thread.
import { createJobRepository, type HistoryQuery } from '../../../store/job.repository'
import { serveView } from '../../view-workers'
import { historyPage } from './history-page'

serveView<HistoryQuery>((db, query) => historyPage(createJobRepository(db), query))
