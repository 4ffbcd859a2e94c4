import { useState } from 'react'
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS } from '../../../../shared/api'
import { send } from '../../api/client'
import { useJobs } from '../../stores/jobs'
import { parseTimeout } from '../scripts/variables'
import { Dialog } from '../shell/Dialog'
import { errorText } from '../shell/form-errors'

/** The dialog's fields as it labels them, for the server's errors. */
const LABELS = { code: 'The shell command', timeoutSeconds: 'The timeout (seconds)' }

/** A quick way to run a shell command as a job, in a dialog (the Scripts page offers more languages). */
export function NewJobForm({ onClose }: { onClose: () => void }) {
  const [code, setCode] = useState('echo hello from JobDesk')
  const [timeout, setTimeoutValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const select = useJobs((s) => s.select)
  const submit = async () => {
    const limit = parseTimeout(timeout)
    if (!limit.ok) return setError(limit.error)
    try {
      const ref = await send('jobs.submit', { type: 'script', language: 'shell', code, timeoutSeconds: limit.seconds })
      onClose()
      await select(ref.id)
    } catch (e) {
      setError(errorText(e, LABELS))
    }
  }
  return (
    <Dialog
      title="New shell job"
      label="new shell job"
      className="new-job"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label>
        Shell command
        <textarea rows={4} value={code} onChange={(e) => setCode(e.target.value)} spellCheck={false} data-autofocus />
      </label>
      <label>
        Timeout (seconds, optional)
        <input inputMode="decimal" placeholder={`${DEFAULT_SCRIPT_TIMEOUT_SECONDS} (a day) when empty`} value={timeout} onChange={(e) => setTimeoutValue(e.target.value)} />
      </label>
      {error && <p className="error-text">{error}</p>}
    </Dialog>
  )
}
