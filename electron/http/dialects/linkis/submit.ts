// entrance/submit (1.x) and entrance/execute (0.x) bodies → a JobDesk script job, with the
// validations and error codes of CommonEntranceParser (jobapis.md §A.3).

import type { ScriptLanguage, SubmitScriptJob } from '../../../../shared/api'
import { entranceError } from './envelope'

type Json = Record<string, unknown>

const RUN_TYPES: Record<string, ScriptLanguage> = {
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
}

export interface LinkisSubmission {
  job: SubmitScriptJob
  labels: Record<string, string>
  /** `executeUser` asked for in the body (honoured for admin tokens only). */
  executeUser?: string
  extra: { params: unknown; source: unknown }
}

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {})
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

export function parseSubmission(body: unknown, port: number): LinkisSubmission {
  const b = obj(body)
  const v1 = b.executionContent !== undefined
  const labels = obj(b.labels)
  if (v1 && Object.keys(labels).length === 0) throw entranceError(20008, 'The submit params cannot be empty, labels is null(labels不能为空)', port)
  const content = obj(b.executionContent)
  const code = v1 ? content.code : b.executionCode
  const engineType = str(labels.engineType) ?? (v1 ? undefined : str(b.executeApplicationName))
  if (!engineType) {
    throw entranceError(20009, 'Label params invalid You need to specify engineTypeLabel in labels, such as spark-2.4.3(请在labels中指定engineType)', port)
  }
  const runType = str(v1 ? content.runType : b.runType) ?? str(labels.codeType)
  if (!runType) throw entranceError(20009, 'Label params invalid You need to specify runType or codeType, such as sql, py, sh(请指定runType)', port)
  if (typeof code !== 'string' || !code.trim()) throw entranceError(20009, 'The execution code cannot be empty(执行代码不能为空)', port)
  const language = RUN_TYPES[runType.toLowerCase()] ?? RUN_TYPES[engineType.split('-')[0].toLowerCase()]
  if (!language) throw entranceError(20052, `runType ${runType} (engineType ${engineType}) is not supported here: use sh, py, sql or cypher`, port)

  const params = obj(b.params)
  const variables = Object.fromEntries(Object.entries(obj(params.variable)).map(([k, v]) => [k, String(v)]))
  const runningTimeout = Number(labels.jobRunningTimeout)
  const retries = Number(labels.jobRetryCount)
  const creator = str(labels.userCreator)?.split('-').pop() ?? str(b.requestApplicationName) ?? 'IDE'
  const kept: Record<string, string> = { dialect: 'linkis', engineType, runType, creator }
  const queuing = Number(labels.jobQueuingTimeout)
  if (queuing > 0) kept.queueTimeoutMs = String(queuing * 1000)
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string' && !(k in kept)) kept[`label.${k}`] = v
  return {
    job: {
      type: 'script',
      language,
      code,
      variables,
      timeoutSeconds: runningTimeout > 0 ? runningTimeout : undefined,
      retries: Number.isInteger(retries) && retries > 0 ? Math.min(retries, 10) : undefined,
    },
    labels: kept,
    executeUser: str(b.executeUser),
    extra: { params: b.params ?? {}, source: b.source ?? {} },
  }
}
