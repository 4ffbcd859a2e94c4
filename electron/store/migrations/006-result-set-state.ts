import { RESULT_SET_STATES } from '../../../shared/api'

// How complete each result set is (shared/api.ts ResultSetState). Sets written before this are complete.
export default `ALTER TABLE result_sets ADD COLUMN state TEXT NOT NULL DEFAULT 'complete' CHECK (state IN (${RESULT_SET_STATES.map((v) => `'${v}'`).join(', ')}));`
