// entrance/submit (1.x) and entrance/execute (0.x) bodies → a JobDesk script job, with the
// validations and error codes of CommonEntranceParser (jobapis.md §A.3).

import { isTimeoutSeconds, MAX_SCRIPT_TIMEOUT_SECONDS, TIMEOUT_SECONDS_RANGE, type ScriptLanguage, type SubmitScriptJob } from '../../../../shared/api'
import { entranceError } from './envelope'
import { paramError } from './params'
import { escapeHiddenChars, nameCharProblem } from '../../../../shared/hidden-chars'
import { JOB_LABEL_LIMITS, labelsProblem, type LabelLimits } from '../../../../shared/job-labels'

type Json = Record<string, unknown>

const RUN_TYPES: Record<string, ScriptLanguage> = Object.assign(Object.create(null) as Record<string, ScriptLanguage>, {
  sh: 'shell',
  shell: 'shell',
  bash: 'shell',
  py: 'python',
  python: 'python',
  python3: 'python',
  sql: 'sql',
  hql: 'sql',
  jdbc: 'sql',
  sqlite: 'sql',
  cypher: 'cypher',
  ngql: 'cypher',
  nebula: 'cypher',
}) // no prototype: a runType of __proto__ or constructor names no language

export interface LinkisSubmission {
  job: SubmitScriptJob
  labels: Record<string, string>
  /** `executeUser` asked for in the body (honoured for admin tokens only). */
  executeUser?: string
  extra: { params: unknown; source: unknown }
}

const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)
/** An object field, or {} when absent; anything else is refused, naming the field. */
const obj = (v: unknown, field: string): Json => {
  if (v === undefined || v === null) return {}
  if (!isObj(v)) throw paramError(field, `must be an object, not ${Array.isArray(v) ? 'a list' : typeof v}`)
  return v
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
/**
 * A string field that names something (a label, a user, a run type; numbers are taken as their text),
 * absent when missing. A control or invisible character is refused, naming it (nameCharProblem).
 */
const text = (v: unknown, field: string, max = 1000): string | undefined => {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (typeof v !== 'string') throw paramError(field, `must be a string, not ${Array.isArray(v) ? 'a list' : typeof v}`)
  if (v.length > max) throw paramError(field, `must be at most ${max} characters`)
  const chars = nameCharProblem(v)
  if (chars) throw paramError(field, chars)
  return v
}
/** A plain decimal number as a label holds one (no exponent, hex or Infinity). */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/
/** A label holding a number of seconds or a count: absent, or a number in [min, max]. */
const numberLabel = (labels: Json, name: string, min: number, max: number, integer: boolean): number | undefined => {
  const raw = text(labels[name], `labels.${name}`)
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  if (!DECIMAL.test(raw) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw paramError(`labels.${name}`, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(raw)}`)
  }
  return n
}
/**
 * `labels.jobRunningTimeout` in seconds, 0 when absent or 0 (Linkis's "no limit": the job gets
 * JobDesk's default); anything else passes the one check of a script timeout (isTimeoutSeconds) and
 * is refused in its words, the field named as the client wrote it.
 */
const runningTimeoutLabel = (labels: Json): number => {
  const raw = text(labels.jobRunningTimeout, 'labels.jobRunningTimeout')
  if (raw === undefined || raw.trim() === '') return 0
  const n = DECIMAL.test(raw) ? Number(raw) : NaN
  if (n === 0) return 0
  if (!isTimeoutSeconds(n)) throw paramError('labels.jobRunningTimeout', `${TIMEOUT_SECONDS_RANGE}, or 0 for none; not ${JSON.stringify(raw)}`)
  return n
}

/** Where a client's labels go on the job: `label.<key>` (JobDesk's own keys stay apart). */
const LABEL_PREFIX = 'label.'
/**
 * The bounds of the labels a client sends: the job's (JOB_LABEL_LIMITS) less room for the prefix and
 * for the labels kept beside them (dialect, engineType, runType, creator, queueTimeoutMs, executeUser,
 * submitUser), so a submit this lets through is never refused by the engine.
 */
export const CLIENT_LABEL_LIMITS: Readonly<LabelLimits> = Object.freeze({
  keyChars: JOB_LABEL_LIMITS.keyChars - LABEL_PREFIX.length,
  count: JOB_LABEL_LIMITS.count - 16,
  bytes: JOB_LABEL_LIMITS.bytes - 8 * 1024 - (JOB_LABEL_LIMITS.count - 16) * LABEL_PREFIX.length,
})

export function parseSubmission(body: unknown, port: number): LinkisSubmission {
  if (!isObj(body)) throw paramError('body', 'must be a JSON object')
  const b = body
  const v1 = b.executionContent !== undefined
  const labels = obj(b.labels, 'labels')
  // each is kept on the job, which every list of jobs reads: bounded before anything else is read (atk29)
  const tooMany = labelsProblem(labels, CLIENT_LABEL_LIMITS)
  if (tooMany) throw paramError('labels', tooMany.message) // the message names the label
  for (const [k, v] of Object.entries(labels)) {
    // a key is kept on the job (label.<key>) and shown with its labels: the same rule as a value (atk28)
    const keyChars = nameCharProblem(k)
    if (keyChars) throw paramError(`labels key "${escapeHiddenChars(k)}"`, keyChars)
    text(v, `labels.${k}`)
  }
  if (v1 && Object.keys(labels).length === 0) throw entranceError(20008, 'The submit params cannot be empty, labels is null(labels不能为空)', port)
  const content = obj(b.executionContent, 'executionContent')
  const code = v1 ? content.code : b.executionCode
  if (code !== undefined && typeof code !== 'string') throw paramError(v1 ? 'executionContent.code' : 'executionCode', 'must be a string')
  text(v1 ? content.runType : b.runType, v1 ? 'executionContent.runType' : 'runType', 100)
  text(b.executeUser, 'executeUser', 200)
  const engineType = str(labels.engineType) ?? (v1 ? undefined : str(b.executeApplicationName))
  if (!engineType) {
    throw entranceError(20009, 'Label params invalid You need to specify engineTypeLabel in labels, such as spark-2.4.3(请在labels中指定engineType)', port)
  }
  const runType = str(v1 ? content.runType : b.runType) ?? str(labels.codeType)
  if (!runType) throw entranceError(20009, 'Label params invalid You need to specify runType or codeType, such as sql, py, sh(请指定runType)', port)
  if (typeof code !== 'string' || !code.trim()) throw entranceError(20009, 'The execution code cannot be empty(执行代码不能为空)', port)
  const language = RUN_TYPES[runType.toLowerCase()] ?? RUN_TYPES[engineType.split('-')[0].toLowerCase()]
  if (!language) throw entranceError(20052, `runType ${runType} (engineType ${engineType}) is not supported here: use sh, py, sql or cypher`, port)

  const params = obj(b.params, 'params')
  obj(params.configuration, 'params.configuration')
  obj(b.source, 'source')
  const variables = Object.fromEntries(
    Object.entries(obj(params.variable, 'params.variable')).map(([k, v]) => {
      if (v !== null && typeof v === 'object') throw paramError(`params.variable.${k}`, 'must be a string or a number')
      return [k, v === null ? '' : String(v)]
    }),
  )
  // Cypher's graph: params.configuration.runtime.graph, else the variable `graph` (default: `default`)
  const runtime = obj(obj(params.configuration, 'params.configuration').runtime, 'params.configuration.runtime')
  const graph = language === 'cypher' ? (str(runtime.graph) ?? (variables.graph || undefined)) : undefined
  const runningTimeout = runningTimeoutLabel(labels)
  const retries = numberLabel(labels, 'jobRetryCount', 0, 10, true) ?? 0
  const creator = str(labels.userCreator)?.split('-').pop() ?? str(b.requestApplicationName) ?? 'IDE'
  const kept: Record<string, string> = { dialect: 'linkis', engineType, runType, creator }
  const queuing = numberLabel(labels, 'jobQueuingTimeout', 0, MAX_SCRIPT_TIMEOUT_SECONDS, false) ?? 0
  if (queuing > 0) kept.queueTimeoutMs = String(Math.round(queuing * 1000))
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string' && !(k in kept)) kept[`${LABEL_PREFIX}${k}`] = v
  return {
    job: {
      type: 'script',
      language,
      code,
      variables,
      ...(graph ? { graph } : {}),
      timeoutSeconds: runningTimeout > 0 ? runningTimeout : undefined,
      retries: retries > 0 ? retries : undefined,
    },
    labels: kept,
    executeUser: str(b.executeUser),
    extra: { params: b.params ?? {}, source: b.source ?? {} },
  }
}
