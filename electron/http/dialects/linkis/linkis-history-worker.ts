// A worker thread that builds one page of Linkis job history or one job's (history-page.ts) from its own
// read-only connection: the jobs' stored inputs are read and parsed here, never on the main thread.
import { createJobRepository } from '../../../store/job.repository'
import { throwIfStopped } from '../../../worker-thread'
import { serveView } from '../../view-workers'
import { historyView, type HistoryView } from './history-page'

serveView<HistoryView>((db, view) => historyView(createJobRepository(db, Date.now, undefined, { stopCheck: throwIfStopped }), view))
