// A worker thread that builds one GES job view (job-views.ts) from its own read-only connection:
// the jobs' stored inputs and reports are read, parsed and cut here, never on the main thread (#9 §2).
import { createJobCenterRepository } from '../../../store/job-center.repository'
import { createJobRepository } from '../../../store/job.repository'
import { throwIfStopped } from '../../../worker-thread'
import { serveView } from '../../view-workers'
import { buildGesView, type GesViewInput } from './job-views'

serveView<GesViewInput>((db, input) => buildGesView({ jobs: createJobRepository(db), jobCenter: createJobCenterRepository(db, { stopCheck: throwIfStopped }) }, input))
