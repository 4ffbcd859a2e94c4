import { useRef, useState, type DragEvent } from 'react'
import type { UploadedFileView } from '../../../../shared/graph-api'
import { useImports } from '../../stores/imports'
import { formatTime } from '../jobs/format'
import { SafeText } from '../shell/SafeText'
import { SKIP_LINES_LABEL, uploadFolders, uploadPathProblem, type FileDraft, type UploadFolder } from './mapping'
import { formatCount, formatSize } from '../../../../shared/number-format'
import { NO_FILES_IN_FOLDER } from '../../../../shared/upload-names'

const DELIMITERS: [value: string, label: string][] = [
  [',', ', comma'],
  [';', '; semicolon'],
  ['\t', 'tab'],
  ['|', '| pipe'],
]

/** Step 1: the files of the import (dropped, picked or uploaded before), their upload progress, and the import-wide options. */
export function FilesStep() {
  const files = useImports((s) => s.files)
  const uploads = useImports((s) => s.uploads)
  const addFiles = useImports((s) => s.addFiles)
  const addUploaded = useImports((s) => s.addUploaded)
  const addUploadedFolder = useImports((s) => s.addUploadedFolder)
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    void addFiles([...e.dataTransfer.files])
  }
  const unused = uploads.filter((u) => !files.some((f) => f.path === u.path))
  const folders = uploadFolders(uploads).filter((u) => !files.some((f) => f.path === u.path))
  return (
    <section className="card im-step" aria-label="files">
      <h2>
        <span className="im-step-no">1</span> Files
      </h2>
      <div
        className={over ? 'im-drop over' : 'im-drop'}
        role="button"
        tabIndex={0}
        aria-label="drop files here or choose files"
        onClick={() => input.current?.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span>
          <strong>Drop CSV or JSON-lines files here</strong>, or click to choose them.
        </span>
        <span className="muted">Add a TuGraph import config (.json) among them to map them all at once.</span>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            void addFiles([...(e.target.files ?? [])])
            e.target.value = ''
          }}
        />
      </div>
      {files.length > 0 && <FileList files={files} />}
      <ImportOptions />
      {/* only those not in this import: a file just dropped is listed above, not as one "from before" (newuser4 #13) */}
      {unused.length > 0 && (
        <details className="im-uploads">
          <summary>Files you uploaded before ({unused.length}) — add one to this import</summary>
          <UploadsTable uploads={unused} onAdd={(p) => void addUploaded(p)} />
        </details>
      )}
      {folders.length > 0 && (
        <details className="im-uploads">
          <summary>Folders you uploaded to ({folders.length}) — map every file in one as one</summary>
          <FoldersTable folders={folders} onAdd={(p) => void addUploadedFolder(p)} />
        </details>
      )}
    </section>
  )
}

function FileList({ files }: { files: FileDraft[] }) {
  const selected = useImports((s) => s.selected)
  const select = useImports((s) => s.select)
  const removeFile = useImports((s) => s.removeFile)
  const check = useImports((s) => s.check)
  return (
    <table className="im-files">
      <tbody>
        {files.map((f) => {
          const pct = f.bytes ? Math.round((100 * f.upload.sent) / f.bytes) : f.upload.state === 'uploaded' ? 100 : 0
          const problems = check?.problems.filter((p) => p.file === f.path) ?? []
          return (
            <tr key={f.path} className={f.path === selected ? 'selected' : ''} data-file={f.path}>
              <td className="im-file-name">
                <button className="link" onClick={() => select(f.path)} title={f.folder ? `map this folder: its ${f.folder.files} files, in name order (the preview shows ${f.folder.first})` : 'map this file'}>
                  <SafeText text={f.folder || f.upload.state === 'empty' ? `${f.path}/` : f.path} />
                </button>
                {f.folder && (
                  <span className="muted" data-testid="folder-files">
                    {' '}
                    {formatCount(f.folder.files)} {f.folder.files === 1 ? 'file' : 'files'}
                  </span>
                )}
              </td>
              <td className="num">{formatSize(f.bytes)}</td>
              <td className="im-upload">
                {f.upload.state === 'uploading' && (
                  <div className="progress im-bar" role="progressbar" aria-label={`upload of ${f.path}`} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
                    <div className="progress-fill" style={{ width: `${pct}%` }} />
                    <span className="progress-label">{pct}%</span>
                  </div>
                )}
                {f.upload.state === 'uploaded' && <span className="ok-text">uploaded</span>}
                {f.upload.state === 'failed' && <span className="error-text" title={f.upload.error}>upload failed: {f.upload.error}</span>}
                {f.upload.state === 'missing' && <MissingFile path={f.path} />}
                {f.upload.state === 'empty' && (
                  // what the import says of it (noFilesInFolder), not "not uploaded yet": the folder is there
                  <span className="warn-text" data-testid="empty-folder">
                    {NO_FILES_IN_FOLDER}: upload files into it
                  </span>
                )}
              </td>
              <td className="im-file-label">
                {f.label ? (
                  <>
                    {f.kind} <strong>{f.label}</strong>
                    {f.newLabel && <span className="im-new">new</span>}
                  </>
                ) : (
                  <span className="muted">{f.previewError ?? (f.upload.state === 'failed' || f.upload.state === 'missing' || f.upload.state === 'empty' ? 'not read' : 'reading…')}</span>
                )}
              </td>
              <td>
                {problems.length > 0 && (
                  <span className={problems.some((p) => p.severity === 'error') ? 'badge badge-failed' : 'badge badge-cancelled'}>
                    {problems.length} {problems.length === 1 ? 'problem' : 'problems'}
                  </span>
                )}
              </td>
              <td>
                <button className="icon" aria-label={`remove ${f.path} from the import`} title="remove from this import (the uploaded file stays)" onClick={() => removeFile(f.path)}>
                  ×
                </button>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function ImportOptions() {
  const delimiter = useImports((s) => s.delimiter)
  const setDelimiter = useImports((s) => s.setDelimiter)
  const continueOnError = useImports((s) => s.continueOnError)
  const setContinueOnError = useImports((s) => s.setContinueOnError)
  const known = delimiter === null || DELIMITERS.some(([d]) => d === delimiter)
  const [custom, setCustom] = useState(!known)
  return (
    <div className="im-row">
      <label className="im-inline">
        Delimiter
        <select
          value={custom ? 'other' : (delimiter ?? ',')}
          onChange={(e) => {
            const other = e.target.value === 'other'
            setCustom(other)
            if (!other) setDelimiter(e.target.value)
          }}
        >
          {DELIMITERS.map(([d, label]) => (
            <option key={label} value={d}>
              {label}
            </option>
          ))}
          <option value="other">other…</option>
        </select>
      </label>
      {/* outside the label: inside, its text would join the select's name */}
      {custom && <input aria-label="other delimiter" className="im-short" defaultValue={delimiter ?? ''} onBlur={(e) => e.target.value && setDelimiter(e.target.value)} />}
      {delimiter === null && <span className="muted">found from the first file</span>}
      <label className="check">
        <input type="checkbox" checked={continueOnError} onChange={(e) => setContinueOnError(e.target.checked)} />
        {SKIP_LINES_LABEL}, and list them in the report
      </label>
    </div>
  )
}

/** Folders holding uploaded files: one added is one mapping of every file directly in it (at most 1,000, checked when the import is checked or started). */
function FoldersTable({ folders, onAdd }: { folders: UploadFolder[]; onAdd: (path: string) => void }) {
  return (
    <table className="tasks im-upload-list">
      <thead>
        <tr>
          <th>Folder</th>
          <th>Files</th>
          <th>Size</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {folders.map((f) => (
          <tr key={f.path} data-upload-folder={f.path}>
            <td>
              <SafeText text={`${f.path}/`} />
            </td>
            <td className="num">{formatCount(f.files)}</td>
            <td>{formatSize(f.bytes)}</td>
            <td>
              <button className="link" onClick={() => onAdd(f.path)}>
                Add folder to import
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function UploadsTable({ uploads, onAdd }: { uploads: UploadedFileView[]; onAdd: (path: string) => void }) {
  const deleteUpload = useImports((s) => s.deleteUpload)
  const [confirm, setConfirm] = useState<string | null>(null)
  return (
    <table className="tasks im-upload-list">
      <thead>
        <tr>
          <th>File</th>
          <th>Size</th>
          <th>Uploaded</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {uploads.map((u) => (
          <tr key={u.path} data-upload={u.path}>
            <td>
              <SafeText text={u.path} />
            </td>
            <td>{formatSize(u.bytes)}</td>
            <td>{formatTime(u.modifiedAt)}</td>
            <td>
              <span className="row-actions">
              {confirm === u.path ? (
                <>
                  <span>Delete it?</span>
                  <button className="link" onClick={() => void deleteUpload(u.path).then(() => setConfirm(null))}>
                    Delete
                  </button>
                  <button className="link" onClick={() => setConfirm(null)}>
                    Keep
                  </button>
                </>
              ) : (
                <>
                  <button className="link" onClick={() => onAdd(u.path)}>
                    Add to import
                  </button>
                  <button className="link" onClick={() => setConfirm(u.path)}>
                    Delete
                  </button>
                </>
              )}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * A config's file that is not among the uploads: "drop it here", or, for a name no upload can have
 * (`../../etc/passwd`, `C:\\Windows\\win.ini`), the server's sentence for it (uploadPathProblem).
 */
function MissingFile({ path }: { path: string }) {
  const problem = uploadPathProblem(path)
  return problem ? <span className="error-text"><SafeText text={problem} /></span> : <span className="warn-text">not uploaded yet: drop it here</span>
}
