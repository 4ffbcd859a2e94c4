import { useState } from 'react'
import { send } from '../../api/client'
import { useJobs } from '../../stores/jobs'
import { Dialog } from '../shell/Dialog'

/** A quick way to run a shell command as a job, in a dialog (the Scripts page offers more languages). */
export function NewJobForm({ onClose }: { onClose: () => void }) {
  const [code, setCode] = useState('echo hello from JobDesk')
  const [timeout, setTimeoutValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const select = useJobs((s) => s.select)
  const submit = async () => {
    try {
      const seconds = timeout.trim() ? Number(timeout) : undefined
      const ref = await send('jobs.submit', { type: 'script', language: 'shell', code, timeoutSeconds: seconds })
      onClose()
      await select(ref.id)
    } catch (e) {
      setError((e as Error).message)
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
        <input inputMode="decimal" value={timeout} onChange={(e) => setTimeoutValue(e.target.value)} />
      </label>
      {error && <p className="error-text">{error}</p>}
    </Dialog>
  )
}
