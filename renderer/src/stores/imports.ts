import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import { IMPORT_ENCODINGS, type GraphSummary, type ImportEncoding, type ImportStatus, type LabelDef, type LabelKind } from '../../../shared/graph'
import type { ImportCheck, UploadedFileView } from '../../../shared/graph-api'
import { counted } from '../../../shared/number-format'
import { escapeHiddenChars } from '../../../shared/hidden-chars'
import { NO_FILES_IN_FOLDER } from '../../../shared/upload-names'
import { isTerminalJob } from '../../../shared/status'
import { send } from '../api/client'
import { errorMessage as message } from '../features/shell/form-errors'
import {
  buildConfig,
  draftFromMapping,
  endpointLabels,
  fileMapping,
  jsonFileKind,
  guessLabel,
  headerLinesProblem,
  labelsToCreate,
  locateFile,
  nameInText,
  newFileDraft,
  onLabel,
  parseConfig,
  tooManyFilesText,
  uploadPathProblem,
  uploadFolders,
  type ColumnDraft,
  type FileDraft,
} from '../features/imports/mapping'
import { uploadFile } from '../features/imports/upload'
import { userSessionStorage, whenSignedIn, whenSignedOut } from './user-scope'

/** How often a running import's status is asked for. */
const POLL_MS = 500
/** Preview rows shown per file. */
const PREVIEW_ROWS = 20
/** The encoding a preview read the file in (its byte-order mark's, else the one asked for), as the draft keeps it. */
const importEncodingOf = (read: string, asked: ImportEncoding): ImportEncoding => ((IMPORT_ENCODINGS as readonly string[]).includes(read) ? (read as ImportEncoding) : asked)

/**
 * A line said above the steps. `asData`: files of a drop refused as configs that cannot be read, which
 * the user may say are data (the page offers it): added again on their own, as data.
 */
type Message = { ok: boolean; text: string; asData?: File[] }

/**
 * What of the page survives a reload in this browser session (sessionStorage, per user): the last
 * import's form (graph, files and their mapping, delimiter, continue-on-error, labels still to make)
 * and which import it started; not the previews (read again) nor the status (asked for again).
 */
type KeptImports = Pick<ImportsState, 'graph' | 'files' | 'selected' | 'delimiter' | 'continueOnError' | 'pending' | 'run'>

const isDraft = (d: unknown): d is FileDraft => {
  const f = d as Partial<FileDraft> | null
  return typeof f?.path === 'string' && Array.isArray(f.columns) && typeof f.label === 'string' && typeof f.upload?.state === 'string'
}

/**
 * The kept form over the fresh state, field by field, dropping what does not have its shape. A file
 * whose upload the reload stopped is dropped (its row would wait for an upload that never ends).
 */
function mergeKept(kept: unknown, current: ImportsState): ImportsState {
  const k = (kept ?? {}) as Partial<Record<keyof KeptImports, unknown>>
  const files = (Array.isArray(k.files) ? k.files : []).filter(isDraft).filter((d) => d.upload.state !== 'uploading').map((d) => ({ ...d, preview: null, previewError: null }))
  const run = k.run as ImportsState['run'] | undefined
  return {
    ...current,
    graph: typeof k.graph === 'string' ? k.graph : current.graph,
    files,
    selected: typeof k.selected === 'string' && files.some((d) => d.path === k.selected) ? k.selected : (files[0]?.path ?? null),
    delimiter: typeof k.delimiter === 'string' ? k.delimiter : null,
    continueOnError: typeof k.continueOnError === 'boolean' ? k.continueOnError : current.continueOnError,
    pending: Array.isArray(k.pending) ? (k.pending as LabelDef[]) : [],
    run: run && typeof run.taskId === 'string' && Number.isInteger(run.jobId) ? { taskId: run.taskId, jobId: run.jobId } : null,
  }
}

interface ImportsState {
  graph: string
  graphs: GraphSummary[]
  /** The chosen graph's label definitions (graphs.get: the list names labels, it does not define them). */
  schema: { graph: string; labels: LabelDef[] } | null
  uploads: UploadedFileView[]
  /** The uploaded folders with no file directly in it (files.list's folders with 0 files), by path. */
  emptyFolders: string[]
  files: FileDraft[]
  selected: string | null
  /** The import's delimiter (one for all its CSV files, as in TuGraph); null until found from the first file. */
  delimiter: string | null
  continueOnError: boolean
  /** Labels from a loaded config that the graph does not have yet (created when the import starts). */
  pending: LabelDef[]
  check: ImportCheck | null
  busy: 'checking' | 'starting' | null
  /** The import started from this page (or opened from the Jobs page) and its latest status. */
  run: { taskId: string; jobId: number } | null
  status: ImportStatus | null
  message: Message | null
  load(): Promise<void>
  setGraph(graph: string): void
  /**
   * Adds dropped or picked files: configs (jsonFileKind) are loaded, the rest uploaded and mapped.
   * A `.json` that is a config that cannot be read (not JSON, or a JSON object that is no config) is
   * said on the page in one sentence naming it (and line and column) and is not uploaded; the rest
   * of the drop is taken (each file judged on its own). Dropped (not `asConfig`, picked with Load
   * config…), the page offers to take it as data: `asData`, files taken as data whatever they hold.
   */
  addFiles(files: File[], o?: { asConfig?: boolean; asData?: readonly File[] }): Promise<void>
  addUploaded(path: string): Promise<void>
  /** Adds a folder of uploads (uploadFolders) as one mapping: every file directly in it; its preview is its first file's. */
  addUploadedFolder(path: string): Promise<void>
  removeFile(path: string): void
  deleteUpload(path: string): Promise<void>
  select(path: string): void
  setDelimiter(delimiter: string): void
  setContinueOnError(on: boolean): void
  /** Another format, header or encoding for a file: its preview is read again and its columns mapped afresh; another encoding finds the header again. */
  setFormat(path: string, patch: Partial<Pick<FileDraft, 'format' | 'header' | 'encoding'>>): void
  /**
   * What the user typed in a file's Header lines box: a whole number from 0 to 1000 becomes its header
   * (setFormat); anything else is kept as typed with its problem (`headerInput`), the header unchanged.
   */
  setHeaderText(path: string, text: string): void
  setLabel(path: string, kind: LabelKind, label: string, newLabel: boolean): void
  setDraft(path: string, patch: Partial<Pick<FileDraft, 'primary' | 'src' | 'dst' | 'label'>>): void
  setColumn(path: string, index: number, patch: Partial<ColumnDraft>): void
  /** Labels known on the page: the graph's, a loaded config's and the new ones the files make. */
  labels(): LabelDef[]
  configText(): string
  runCheck(): Promise<ImportCheck | null>
  start(): Promise<void>
  cancel(): Promise<void>
  /** Shows an import's status and report, polling while it runs. */
  open(taskId: string): Promise<void>
  /** The same by job id (from the Jobs page). */
  openJob(jobId: number): Promise<void>
  /** Clears the files and the mapping for a new import (uploads stay). */
  reset(): void
  /** After a reload: reads the kept files' previews again and the kept import's status (polled while it runs). */
  resume(): Promise<void>
}

export const useImports = create<ImportsState>()(
  persist(
    (set, get) => {
      let poller: ReturnType<typeof setTimeout> | null = null

      const patchFile = (path: string, patch: Partial<FileDraft> | ((d: FileDraft) => Partial<FileDraft>)) =>
        set({ files: get().files.map((d) => (d.path === path ? { ...d, ...(typeof patch === 'function' ? patch(d) : patch) } : d)), check: null })
      const file = (path: string) => get().files.find((d) => d.path === path)
      const existingLabels = () => {
        const { schema, graph } = get()
        return schema?.graph === graph ? schema.labels : []
      }
      const known = () => [...existingLabels(), ...get().pending]
      const findLabel = (kind: LabelKind, name: string) => known().find((l) => l.label === name && (l.type === 'VERTEX') === (kind === 'vertex'))

      const labelPatch = (d: FileDraft, kind: LabelKind, label: string, newLabel: boolean): Partial<FileDraft> => {
        const others = get().files.filter((f) => f.path !== d.path)
        const vertexLabels = endpointLabels(others, known())
        const isKind = (l: LabelDef) => l.label === label && (l.type === 'VERTEX') === (kind === 'vertex')
        const def = newLabel ? undefined : (known().find(isKind) ?? labelsToCreate(others, [], known()).find(isKind))
        return onLabel(d, kind, label, def, vertexLabels)
      }
      const guess = (d: FileDraft): Partial<FileDraft> => {
        const g = guessLabel(d, known())
        const patch = labelPatch(d, g.kind, g.label, g.existing === undefined)
        return g.kind === 'edge' && g.existing === undefined ? { ...patch, endpointsGuessed: true } : patch
      }
      /**
       * Points the guessed endpoints of edge files at the vertex labels of this import's files, now that
       * one more is mapped: files are previewed one by one in the order chosen (a file picker's is
       * alphabetical, links.csv before people.csv), so an edge file may be guessed before its vertices'.
       */
      const repointGuessedEndpoints = () =>
        set({
          files: get().files.map((f) => {
            if (!f.endpointsGuessed) return f
            const first = endpointLabels(get().files.filter((o) => o.path !== f.path), known())[0] ?? ''
            return { ...f, src: first, dst: first }
          }),
        })

      /**
       * Reads the file's first rows; a fresh file (no columns yet) then gets a label and columns guessed,
       * and `remap` (another format, header or encoding) maps its columns afresh onto its label.
       * `findHeader`: the server finds the header line again, as for a fresh file (another encoding: the
       * header found in the first reading was found in text that reading got wrong, #9).
       */
      const loadPreview = async (path: string, remap = false, findHeader = false): Promise<void> => {
        const d = file(path)
        if (!d || d.upload.state !== 'uploaded') return
        const delimiter = d.format === 'CSV' ? (get().delimiter ?? undefined) : undefined
        const fresh = d.columns.length === 0 // not mapped yet: the server finds the header (and the delimiter) too
        // a fresh file's encoding not chosen by hand is left to the server: it guesses one when the file is not UTF-8
        const encoding = fresh && !d.encodingByHand ? {} : { encoding: d.encoding }
        try {
          const preview = await send('imports.preview', { path: d.folder?.first ?? path, format: d.format, rows: PREVIEW_ROWS, ...encoding, ...(fresh || findHeader ? {} : { header: d.header }), ...(delimiter ? { delimiter } : {}) })
          if (d.format === 'CSV' && get().delimiter === null) set({ delimiter: preview.delimiter })
          patchFile(path, (now) => {
            const next = { ...now, preview, previewError: null, header: preview.header, encoding: importEncodingOf(preview.encoding, now.encoding) }
            if (now.columns.length === 0) return { ...next, ...guess(next) }
            if (remap) return { ...next, ...labelPatch(next, now.kind, now.label, now.newLabel) }
            // a mapped file keeps its mapping; columns it did not have (another delimiter) are skipped until mapped
            const width = Math.max(preview.columns.length, now.columns.length)
            const columns = Array.from({ length: width }, (_, i): ColumnDraft => now.columns[i] ?? { role: 'SKIP', name: '', type: preview.columns[i].type, optional: true })
            return { ...next, columns }
          })
          if (fresh && file(path)?.kind === 'vertex') repointGuessedEndpoints()
        } catch (e) {
          patchFile(path, { preview: null, previewError: message(e) })
        }
      }

      const addDraft = (draft: FileDraft) => {
        const files = get().files.filter((d) => d.path !== draft.path)
        set({ files: [...files, draft], selected: get().selected ?? draft.path, check: null })
      }

      /** Uploads a file, its progress shown in its row; a failure is the row's, not the page's. */
      const upload = async (f: File, path: string): Promise<boolean> => {
        try {
          await uploadFile(f, path, (sent) => patchFile(path, (d) => ({ upload: { ...d.upload, sent } })))
          patchFile(path, (d) => ({ upload: { ...d.upload, state: 'uploaded' } }))
          return true
        } catch (e) {
          patchFile(path, (d) => ({ upload: { ...d.upload, state: 'failed', error: message(e) } }))
          return false
        }
      }

      // the folders too: a config's folder emptied of its files is told from one never uploaded
      const refreshUploads = async () => {
        const listed = await send('files.list', { folders: true })
        set({ uploads: listed.filter((f) => f.kind !== 'folder'), emptyFolders: listed.flatMap((f) => (f.kind === 'folder' && f.files === 0 ? [f.path] : [])) })
      }
      /** Reads the chosen graph's definitions; an answer for a graph no longer chosen is dropped. */
      const refreshSchema = async (graph = get().graph) => {
        const info = await send('graphs.get', { graph })
        if (get().graph === graph) set({ schema: { graph, labels: info.labels.map((l) => l.def) } })
      }
      const refreshGraphs = async () => {
        set({ graphs: await send('graphs.list', {}) })
        const { graphs, graph } = get()
        if (graphs.some((g) => g.name === graph)) await refreshSchema(graph)
      }

      /** Loads a config's mapping and labels; returns the line that says what it loaded and what is missing. Throws what parseConfig throws. */
      const applyConfig = (text: string, dropped: Map<string, number>): Message => {
        const config = parseConfig(text)
        const existing = existingLabels()
        const pending = config.schema.filter((l) => !existing.some((e) => e.label === l.label && e.type === l.type))
        set({ pending: [...get().pending.filter((p) => !pending.some((q) => q.label === p.label && q.type === p.type)), ...pending] })
        const missing: string[] = []
        const empty: string[] = []
        // a path no upload can have (`../x`, `C:\\x`) is not "missing": said in the server's words (tfui L1)
        const impossible: string[] = []
        for (const m of config.files) {
          const found = locateFile(m.path, dropped, get().uploads, get().emptyFolders)
          if (found.state === 'missing') {
            const problem = uploadPathProblem(m.path)
            if (problem) impossible.push(problem)
            else missing.push(m.path)
          }
          if (found.state === 'empty' && !empty.includes(`${found.path}/`)) empty.push(`${found.path}/`) // `hollow` and `hollow/` said once
          addDraft(draftFromMapping(m, findLabel(m.SRC_ID !== undefined ? 'edge' : 'vertex', m.label), found))
        }
        const text2 = `Loaded an import config: ${counted(config.files.length, 'file')}, ${counted(pending.length, 'new label')}.`
        const problems = [
          missing.length ? `Missing: ${missing.map(nameInText).join(', ')} — drop or upload them.` : '',
          impossible.length ? `Not in your upload folder: ${impossible.map((p) => escapeHiddenChars(p)).join('; ')}.` : '', // quoteName leaves zero-width characters
          ...empty.map((f) => `${nameInText(f)} is ${NO_FILES_IN_FOLDER}: upload files into it or remove its mapping.`), // as the import would refuse it
        ].filter(Boolean)
        return problems.length ? { ok: false, text: `${text2} ${problems.join(' ')}` } : { ok: true, text: text2 }
      }

      const stopPolling = () => {
        if (poller) clearTimeout(poller)
        poller = null
      }
      const poll = async (taskId: string) => {
        stopPolling()
        try {
          const status = await send('imports.status', { taskId })
          if (get().run?.taskId !== taskId) return
          set({ status })
          if (!isTerminalJob(status.status as never)) poller = setTimeout(() => void poll(taskId), POLL_MS)
          else void refreshGraphs()
        } catch (e) {
          set({ message: { ok: false, text: message(e) } })
          poller = setTimeout(() => void poll(taskId), POLL_MS * 4)
        }
      }

      return {
        graph: 'default',
        graphs: [],
        schema: null,
        uploads: [],
        emptyFolders: [],
        files: [],
        selected: null,
        delimiter: null,
        continueOnError: true,
        pending: [],
        check: null,
        busy: null,
        run: null,
        status: null,
        message: null,

        async load() {
          try {
            await Promise.all([refreshGraphs(), refreshUploads()])
            const { graphs, graph } = get()
            if (graphs.length && !graphs.some((g) => g.name === graph)) {
              set({ graph: graphs[0].name })
              await refreshSchema()
            }
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
          }
        },

        setGraph: (graph) => {
          set({ graph, check: null })
          refreshSchema(graph).catch((e: unknown) => set({ message: { ok: false, text: message(e) } }))
        },

        async addFiles(list, { asConfig = false, asData = [] } = {}) {
          const data: File[] = []
          const configs: string[] = []
          const broken: { file: File; problem: string }[] = []
          if (asData.length) set({ message: null }) // the refusal answered: the user said they are data
          for (const f of list) {
            if (/\.json$/i.test(f.name) && f.size < 4 * 1024 * 1024 && !asData.includes(f)) {
              const text = await f.text()
              const what = jsonFileKind(f.name, text)
              if (what.kind === 'config') configs.push(text)
              else if (what.kind === 'broken') broken.push({ file: f, problem: what.problem })
              if (what.kind !== 'data') continue
            }
            data.push(f)
          }
          // each file is judged on its own: a config that cannot be read is held back, the rest of the
          // drop is taken (a fixed config loaded later maps them); a dropped one may be data after all,
          // which only the user can say (the page's offer)
          const said: Message[] = []
          const dropped = new Map(data.map((f) => [f.name, f.size]))
          if (configs.length) await refreshUploads().catch(() => undefined) // a config's paths checked against the uploads as they are now
          try {
            for (const c of configs) said.push(applyConfig(c, dropped))
          } catch (e) {
            said.push({ ok: false, text: `The import config cannot be read: ${message(e)}.` })
          }
          if (broken.length) said.push({ ok: false, text: `The import config cannot be read: ${broken.map((b) => b.problem).join('; ')}.` })
          // the refusal said last, so the page's offer to take them as data follows its sentence
          const offer = broken.length && !asConfig ? { asData: broken.map((b) => b.file) } : {}
          if (said.length) set({ message: { ok: said.every((m) => m.ok), text: said.map((m) => m.text).join(' '), ...offer } })
          // a config's files and folders uploaded before are read now (their mapping kept), as the dropped ones once uploaded
          for (const d of get().files) if (d.upload.state === 'uploaded' && !d.preview && !d.previewError && !data.some((f) => f.name === d.path)) await loadPreview(d.path)
          for (const f of data) {
            // a file a loaded config named but that was missing takes its mapping along
            const waiting = get().files.find((d) => d.upload.state === 'missing' && d.path.split('/').pop() === f.name)
            if (waiting && !file(f.name)) set({ files: get().files.map((d) => (d === waiting ? { ...d, path: f.name } : d)), selected: get().selected === waiting.path ? f.name : get().selected })
            else if (!file(f.name)) addDraft(newFileDraft(f.name, f.size, 'uploading'))
          }
          for (const f of data) {
            patchFile(f.name, { bytes: f.size, upload: { state: 'uploading', sent: 0 } })
            if (await upload(f, f.name)) await loadPreview(f.name)
          }
          await refreshUploads().catch(() => undefined)
        },

        async addUploaded(path) {
          const u = get().uploads.find((x) => x.path === path)
          if (!u || file(path)) return
          addDraft(newFileDraft(path, u.bytes, 'uploaded'))
          await loadPreview(path)
        },

        async addUploadedFolder(path) {
          const f = uploadFolders(get().uploads).find((x) => x.path === path)
          if (!f || file(path)) return
          addDraft(newFileDraft(path, f.bytes, 'uploaded', { files: f.files, first: f.first }))
          await loadPreview(path)
        },

        removeFile(path) {
          const files = get().files.filter((d) => d.path !== path)
          set({ files, selected: get().selected === path ? (files[0]?.path ?? null) : get().selected, check: null })
        },

        async deleteUpload(path) {
          try {
            await send('files.delete', { path })
            get().removeFile(path)
            await refreshUploads()
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
          }
        },

        select: (path) => set({ selected: path }),

        setDelimiter(delimiter) {
          set({ delimiter, check: null })
          for (const d of get().files) if (d.format === 'CSV') void loadPreview(d.path)
        },

        setContinueOnError: (on) => set({ continueOnError: on, check: null }),

        setFormat(path, patch) {
          // an encoding chosen by hand reads the file anew: its header is found again in the new reading
          const findHeader = patch.encoding !== undefined && patch.encoding !== file(path)?.encoding
          // a header found afresh replaces whatever the box held; an encoding chosen here is never guessed over
          const byHand = patch.encoding !== undefined ? { ...patch, encodingByHand: true } : patch
          patchFile(path, findHeader ? { ...byHand, headerInput: undefined } : byHand)
          void loadPreview(path, true, findHeader)
        },

        setHeaderText(path, text) {
          const problem = headerLinesProblem(text)
          if (problem) return patchFile(path, { headerInput: { text, problem } })
          patchFile(path, { headerInput: undefined })
          get().setFormat(path, { header: Number(text.trim()) })
        },

        setLabel(path, kind, label, newLabel) {
          // an existing edge label brings its own endpoints: no later vertex file re-points them
          patchFile(path, (d) => ({ ...labelPatch(d, kind, label, newLabel), ...(kind === 'edge' && newLabel ? {} : { endpointsGuessed: false }) }))
        },

        setDraft(path, patch) {
          const d = file(path)
          patchFile(path, patch.src !== undefined || patch.dst !== undefined ? { ...patch, endpointsGuessed: false } : patch)
          // renaming a new vertex label renames it where edge files name it as an endpoint
          if (d && patch.label !== undefined && d.newLabel && d.kind === 'vertex' && patch.label !== d.label) {
            const rename = (v: string) => (v === d.label ? patch.label! : v)
            set({ files: get().files.map((f) => (f.kind === 'edge' ? { ...f, src: rename(f.src), dst: rename(f.dst) } : f)) })
          }
        },

        setColumn(path, index, patch) {
          patchFile(path, (d) => ({ columns: d.columns.map((c, i) => (i === index ? { ...c, ...patch } : c)) }))
        },

        labels: () => [...known(), ...labelsToCreate(get().files, [], known())],

        configText: () => JSON.stringify(buildConfig(get().files, get().pending, existingLabels()), null, 2),

        async runCheck() {
          const { graph, files, delimiter, continueOnError, pending } = get()
          // said in the page's words (how many, the bound, what to do) before the API refuses it in its own
          const tooMany = tooManyFilesText(files, get().uploads)
          if (tooMany) {
            set({ check: null, message: { ok: false, text: tooMany } })
            return null
          }
          set({ busy: 'checking', message: null })
          try {
            const schema = labelsToCreate(files, pending, existingLabels())
            const check = await send('imports.check', { graph, schema, files: files.map(fileMapping), delimiter: delimiter ?? ',', continueOnError })
            set({ check })
            return check
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
            return null
          } finally {
            set({ busy: null })
          }
        },

        async start() {
          const check = await get().runCheck()
          if (!check?.ok) return
          const { graph, files, delimiter, continueOnError, pending } = get()
          set({ busy: 'starting' })
          try {
            const schema = labelsToCreate(files, pending, existingLabels())
            if (schema.length) await send('graphs.importSchema', { graph, schema })
            const run = await send('imports.start', { graph, files: files.map(fileMapping), delimiter: delimiter ?? ',', continueOnError })
            set({ run, status: null, pending: [], files: get().files.map((d) => ({ ...d, newLabel: false })) })
            await refreshGraphs()
            void poll(run.taskId)
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
          } finally {
            set({ busy: null })
          }
        },

        async cancel() {
          const run = get().run
          if (!run) return
          try {
            await send('jobs.cancel', { id: run.jobId })
            void poll(run.taskId)
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
          }
        },

        async open(taskId) {
          stopPolling()
          set({ run: null, status: null })
          try {
            const status = await send('imports.status', { taskId })
            set({ run: { taskId, jobId: status.jobId }, status, graph: status.graph })
            void refreshSchema(status.graph).catch(() => undefined) // the graph chosen now: its labels for a mapping
            if (!isTerminalJob(status.status as never)) void poll(taskId)
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
          }
        },

        async openJob(jobId) {
          try {
            await get().open((await send('jobs.get', { id: jobId })).uuid)
          } catch (e) {
            set({ message: { ok: false, text: message(e) } })
          }
        },

        reset() {
          stopPolling()
          set({ files: [], selected: null, pending: [], check: null, run: null, status: null, message: null })
        },

        async resume() {
          const { files, run } = get()
          // the import first: open() chooses its graph, whose labels the mapping is read against
          if (run && get().status?.taskId !== run.taskId) await get().open(run.taskId)
          for (const d of files) if (d.upload.state === 'uploaded' && !d.preview) await loadPreview(d.path)
        },
      }
    },
    {
      name: 'jobdesk.imports',
      version: 1,
      storage: createJSONStorage(() => userSessionStorage),
      skipHydration: true, // read once the user is known (user-scope)
      partialize: (s): KeptImports => ({
        graph: s.graph,
        files: s.files.map((d) => ({ ...d, preview: null, previewError: null })), // a preview can be 200 rows of 1,000 columns: read again
        selected: s.selected,
        delimiter: s.delimiter,
        continueOnError: s.continueOnError,
        pending: s.pending,
        run: s.run,
      }),
      merge: mergeKept,
    },
  ),
)

whenSignedIn(() => void Promise.resolve(useImports.persist.rehydrate()).then(() => useImports.getState().resume()))

// what was shown to the user who signed out is not shown to the next
whenSignedOut(() => useImports.setState(useImports.getInitialState(), true))
