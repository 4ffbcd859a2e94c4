// The Rill Flow semantics on JobDesk's engine (rillflow.md §2–3): context and mappings, the seven
// categories, next/skip propagation, tolerance, degrade, retry and success/fail conditions.

import type { JobControl, JobDriver, Outcome, Preparation, Verdict } from '../../../engine/driver'
import type { JobRecord, TaskRecord } from '../../../store/job.repository'
import { adoptOfferedTexts, prepareStateJson, STATE_JSON_LIMIT } from '../../../store/state-json'
import type { Dag, FunctionTask, ReturnTask, SuspenseTask, SwitchTask } from '../descriptor/types'
import { splitNext } from '../descriptor/walk'
import { PathWork } from '../jsonpath'
import { conditionsMatch, evaluateSource, mayWriteOutput, type MappingHooks } from '../mappings'
import { ContextGrowthError, jsonLengthOf, shareReadOnly, VALUE_LIMITS, ValueTooLargeError } from '../value-budget'
import { StateTooLarge } from '../../../../shared/quotas'
import { contextOf, contextTouched, mapInput, mapOutput, mappingHooks } from './context'
import { holdDeadlineOf, timeoutMsOf, timeoutNote, TIMEOUT_MSG } from './deadlines'
import { groupTable } from './fanout'
import { SLICE_STEP } from '../../../engine/sliced'
import { FOREACH_START_WORK, groupSettled, groupsOf, resettleGroups, resumeForeachGroups, startChoice, startForeach } from './groups'
import { parseRoute, subTaskName } from './names'
import { executionProgress } from './progress'
import { skippedRuleLog } from './skipped-rules'
import { routeOf, specOf } from './task-specs'
import { failure, judge, messageOf, normalizeOutput } from './verdicts'

type Json = Record<string, unknown>

export const SKIP_MSG = 'skip due to dependent tasks return or degrade'

export interface RillDriverDeps {
  /** The descriptor a job runs (by its workflow id). */
  dagOf(workflowId: number): Dag
  /** The trigger URL handed to `$.tasks.<task>.trigger_url` sources. */
  triggerUrl(executionId: string, task: string, query: string | undefined): string
  /**
   * Starts a sub-flow (`rillflow://ws:dag[:alias]`) of `parent.job` (its live record) with the task's
   * input as its context; returns its execution id. `parent.attempt` is the task's attempt starting it
   * (the child is labelled with it). Throws (the task fails with the message) when it may not start.
   */
  startSubflow(parent: { job: JobRecord; task: string; attempt: number }, descriptorId: string, context: Json): string
  /**
   * Stops a sub-flow its parent no longer waits for (its flow_sync task was stopped, redone or timed
   * out), after the current change is committed. `why`: the sub-flow's error once cancelled, e.g.
   * "stopped with its parent (job #12, task sub)".
   */
  stopSubflow(executionId: string, why: string): void
}

export function createRillDriver(deps: RillDriverDeps): JobDriver & RillActions {
  /** By running execution: the UTF-8 bytes of context each of its sub-flow tasks gave its child, until the task settles (subflowCopiesTooLarge). */
  const subflowBytes = new WeakMap<JobRecord, Map<string, number>>()
  const dagOf = (ctl: JobControl) => deps.dagOf(ctl.job.workflowId!)
  // the constants a task's mappings parse are charged to the tick running them (ctl), never another's
  // and a rule skipped for its tolerance, or whose source matched nothing, is logged, a few lines however often (skipped-rules.ts)
  const skips = skippedRuleLog()
  const hooksFor = (ctl: JobControl, task: TaskRecord): MappingHooks => ({
    ...mappingHooks((t, q) => deps.triggerUrl(specOf(task).executionId, t, q), task.name, (bytes) => ctl.charge(bytes)),
    skipped: (rule, reason) => skips.note(ctl, task, rule, reason),
    unmatched: (rule, note) => skips.unmatched(ctl, task, rule, note),
  })
  function skipsMe(dep: TaskRecord, me: string): boolean {
    const degrade = specOf(dep).def.degrade
    return (
      ((dep.runtime?.skipNext as string[] | undefined) ?? []).includes(me) ||
      degrade?.followings === true ||
      dep.runtime?.degradeFollowings === true ||
      (dep.status === 'skipped' && dep.error === SKIP_MSG)
    )
  }

  function prepare(ctl: JobControl, task: TaskRecord): Preparation {
    const { def } = specOf(task)
    const route = routeOf(task)
    const deps = task.dependsOn.map((d) => ctl.task(d)!)
    if (deps.length > 0 && deps.every((d) => skipsMe(d, task.name))) return { action: 'finish', status: 'skipped', error: SKIP_MSG }
    if (def.degrade?.current === true || task.runtime?.degradeCurrent === true) return { action: 'finish', status: 'skipped', error: 'degrade current task' }
    const delay = timelineDelay(ctl, task)
    if (delay) return delay
    const hooks = hooksFor(ctl, task)
    const context = contextOf(ctl, route)
    let input: Json
    // a foreach's start reads its input mappings, and in its next tick its collection: one budget for both
    const startWork = def.category === 'foreach' ? new PathWork(FOREACH_START_WORK) : undefined
    try {
      input = mapInput(def.inputMappings, context, hooks, startWork)
    } catch (e) {
      return { action: 'finish', status: 'failed', error: (e as Error).message }
    }
    task.input = input
    ctl.taskChanged(task.name)
    try {
      switch (def.category) {
        case 'function':
          if (def.pattern === 'flow_sync' || def.pattern === 'flow_async') return subflow(ctl, task, def, input)
          return { action: 'run' }
        case 'pass':
          mapOutput(def.outputMappings, context, input, hooks)
          if (def.outputMappings?.length) contextTouched(ctl, route) // a context is rewritten only when it changed
          return { action: 'finish', status: 'succeeded', output: input }
        case 'return':
          return returnTask(ctl, task, def, input)
        case 'switch':
          return switchTask(ctl, task, def, input)
        case 'suspense':
          return suspenseVerdict(def, input) ?? { action: 'hold', timeoutMs: timeoutMsOf(def.timeline) }
        case 'choice':
          return startChoice(ctl, task, dagOf(ctl), input, hooks)
        case 'foreach':
          return startForeach(ctl, task, dagOf(ctl), hooks, startWork)
      }
    } catch (e) {
      return { action: 'finish', status: 'failed', error: (e as Error).message }
    }
  }

  /**
   * timeline.suspenseIntervalSeconds / suspenseTimestamp (a JsonPath on the context or a constant,
   * epoch ms) delay a task's start once; the task is re-queued until then.
   */
  function timelineDelay(ctl: JobControl, task: TaskRecord): Preparation | undefined {
    const timeline = specOf(task).def.timeline
    if (!timeline || task.runtime?.delayed) return undefined
    let until: number | undefined
    const interval = Number(timeline.suspenseIntervalSeconds)
    if (Number.isFinite(interval) && interval > 0) until = ctl.now() + interval * 1000
    if (timeline.suspenseTimestamp) {
      const at = Number(evaluateSource({ source: timeline.suspenseTimestamp, target: '$.x' }, { context: contextOf(ctl, routeOf(task)), input: {}, output: {} }))
      if (Number.isFinite(at)) until = at
    }
    if (until === undefined || until <= ctl.now()) return undefined
    task.runtime = { ...(task.runtime ?? {}), delayed: true }
    ctl.taskChanged(task.name)
    return { action: 'delay', untilMs: until }
  }

  /**
   * flow_sync holds until the child execution ends (its context is the output); flow_async succeeds
   * once the child started. The child starts in a later tick (startChild), not in this one, which
   * mapped and serialized the input: starting it copies and stores that input twice more (megabytes
   * each), and 30 parallel starts of a 1.2 MB context, all in the ticks that prepared them, held the
   * event loop 7-9 s (atk30). A crash in between fails the task on restart (service.ts reconcileJob).
   */
  function subflow(ctl: JobControl, task: TaskRecord, def: FunctionTask, input: Json): Preparation {
    const target = /^rillflow:\/\/(.+)$/.exec(def.resourceName ?? '')?.[1]
    if (!target) return { action: 'finish', status: 'failed', error: `${def.pattern} needs resourceName rillflow://workspace:dagName[:alias]` }
    const tooLarge = subflowCopiesTooLarge(ctl, task, input)
    if (tooLarge) return { action: 'finish', status: 'failed', error: tooLarge }
    // a retry keeps the runtime of the attempt before: its child is not this attempt's (startChild
    // would take it for one already started and start none, atk33)
    if (task.runtime?.referencedExecutionId !== undefined) {
      const { referencedExecutionId: _before, ...rest } = task.runtime
      task.runtime = rest
      ctl.taskChanged(task.name)
    }
    const attempt = task.attempt
    ctl.defer(() => startChild(ctl, task.name, attempt, def, target))
    return { action: 'hold', timeoutMs: def.pattern === 'flow_sync' ? timeoutMsOf(def.timeline) : undefined }
  }

  /**
   * Why a sub-flow task may not start its child, or null: the contexts of the sub-flows its execution
   * started and still waits for, with this one, would hold more than a stored value may
   * (STATE_JSON_LIMIT), as a foreach's or a choice's sub-contexts together may not (groups.ts
   * subContextsTooLarge). Each start copies the task's input for the child and stores it twice, and 30
   * parallel flow_sync tasks of a 1.2 MB context were not held to any bound (atk30). Counted in
   * memory (subflowBytes): after a restart, the children started before it are not counted.
   */
  function subflowCopiesTooLarge(ctl: JobControl, task: TaskRecord, input: Json): string | null {
    let waiting = subflowBytes.get(ctl.job)
    if (!waiting) subflowBytes.set(ctl.job, (waiting = new Map()))
    waiting.delete(task.name) // its earlier attempt's child is not waited for any more
    let others = 0
    for (const bytes of waiting.values()) others += bytes
    const mine = prepareStateJson(input) // the input's save measured it already: its kept text's UTF-8 bytes
    if (others + mine > STATE_JSON_LIMIT) {
      return `${task.name}: its sub-flow's context (about ${mine} bytes) with those of the ${waiting.size} sub-flows this execution waits for would hold about ${others + mine} bytes; they hold at most ${STATE_JSON_LIMIT} bytes together`
    }
    waiting.set(task.name, mine)
    return null
  }

  /**
   * Starts the child of a held sub-flow task (deferred by subflow), unless that attempt ended
   * meanwhile (cancel, timeout), and charges what the start stores (the child's input and context,
   * each about the size of the task's input) to the tick, so the next starts go to later ticks.
   */
  function startChild(ctl: JobControl, name: string, attempt: number, def: FunctionTask, target: string): void {
    const task = ctl.task(name)
    if (task?.status !== 'running' || task.attempt !== attempt || task.runtime?.referencedExecutionId !== undefined) return
    const input = (task.input ?? {}) as Json
    let child: string
    try {
      child = deps.startSubflow({ job: ctl.job, task: name, attempt }, target, input)
    } catch (e) {
      return ctl.finish(name, 'failed', { error: (e as Error).message })
    }
    ctl.charge(2 * prepareStateJson(input))
    task.runtime = { ...(task.runtime ?? {}), referencedExecutionId: child }
    ctl.taskChanged(name)
    if (def.pattern === 'flow_async') ctl.finish(name, 'succeeded', { output: { execution_id: child } })
  }

  /** All conditions match: SUCCEED and cut every `next`; otherwise a plain skip (successors still run). */
  function returnTask(ctl: JobControl, task: TaskRecord, def: ReturnTask, input: Json): Preparation {
    if (!conditionsMatch(def.conditions ?? [], { input }, 'all')) return { action: 'finish', status: 'skipped' }
    setSkipNext(ctl, task, splitNext(def.next))
    return { action: 'finish', status: 'succeeded' }
  }

  /** Cases in order; `default` only when nothing else matched; `break` stops after a match. */
  function switchTask(ctl: JobControl, task: TaskRecord, def: SwitchTask, input: Json): Preparation {
    const reached = new Set<string>()
    const all = new Set<string>()
    let matchedAny = false
    let stopped = false
    const work = new PathWork('the conditions of one switch task together')
    for (const c of def.switches) {
      const next = splitNext(c.next)
      next.forEach((n) => all.add(n))
      if (stopped || c.condition === 'default') continue
      if (c.condition && conditionsMatch([c.condition], { input }, 'all', work)) {
        matchedAny = true
        next.forEach((n) => reached.add(n))
        if (c.break) stopped = true
      }
    }
    if (!matchedAny) for (const c of def.switches) if (c.condition === 'default') splitNext(c.next).forEach((n) => reached.add(n))
    setSkipNext(ctl, task, [...all].filter((n) => !reached.has(n)))
    return { action: 'finish', status: 'succeeded' }
  }

  function setSkipNext(ctl: JobControl, task: TaskRecord, names: string[]): void {
    const route = routeOf(task)
    task.runtime = { ...(task.runtime ?? {}), skipNext: names.map((n) => subTaskName(route, n)) }
    ctl.taskChanged(task.name)
  }

  function suspenseVerdict(def: SuspenseTask, input: Json): Preparation | undefined {
    if (def.conditions?.length && conditionsMatch(def.conditions, { input }, 'all')) return { action: 'finish', status: 'succeeded' }
    if (def.interruptions?.length && conditionsMatch(def.interruptions, { input }, 'any')) {
      return { action: 'finish', status: 'failed', error: 'interruption' }
    }
    return undefined
  }

  /**
   * When `e` is a size refusal of a mapping (growthOf: past the context's 2 MB, or a value over VALUE_LIMITS),
   * puts back what the mappings of `route`'s context wrote before it (the context as actSaved stored it:
   * `putBack`) and throws StateTooLarge (bound `context`), as upstream's ContextDAO.checkContextLength
   * refuses it before the task changes (30507); else returns, for the caller to handle `e`.
   */
  function refuseIfTooLarge(ctl: JobControl, route: string | null, e: unknown, putBack: () => void): void {
    const grown = growthOf(e)
    if (!grown) return
    contextTouched(ctl, route)
    putBack()
    throw new StateTooLarge(ctl.job.submitter, grown.bytes, grown.limit, 'context', (e as Error).message.replace(/; nothing was copied$/, ''))
  }

  /**
   * Makes a client's callback body (finish.json, trigger.json, wakeup.json: parsed from its request,
   * held by nothing else) read-only and shared before `rules` map it into the execution's own context,
   * so that each mapping writes it as it is, measured once, instead of measuring and copying it again
   * for every mapping: eight mappings of one 87,000-map list had the callback's pass copy 696,000 maps
   * in one turn of the main thread (#9 §2: a probe held 749 ms). A later write into it copies on write
   * (jsonpath/write.ts), as for a descriptor's constant; the context is still saved and weighed by its
   * whole JSON text, every mapping's value counted. Left as it is (copied per mapping, as before) for a
   * task in a group (`route`: its sub-context stores a shared value once, as a part, and its held work
   * would count it once where a copy counts each time), when a rule may write into `$.output` (the body
   * is the task's output), or when it is over VALUE_LIMITS as a whole (a mapping of a part of it is
   * measured, and refused, on its own). The texts a JSON worker made of its long members as it parsed
   * it are then kept for the saves of the context and output holding them (adoptOfferedTexts), and
   * forgotten when it is left as it is.
   */
  function shareCallbackBody(rules: Parameters<typeof mapOutput>[0], route: string | null, body: Json): void {
    try {
      if (route !== null || !rules?.length || mayWriteOutput(rules)) return
      shareReadOnly(body)
    } catch (e) {
      if (!(e instanceof ValueTooLargeError)) throw e
    } finally {
      // the texts its JSON worker made of its long members (routes: memberTexts), kept for the saves if it is read-only now
      adoptOfferedTexts(body)
    }
  }

  function interpret(ctl: JobControl, task: TaskRecord, outcome: Outcome, putBack?: () => void): Verdict {
    const { def } = specOf(task)
    const route = routeOf(task)
    if (!outcome.ok && outcome.timedOut) timedOut(ctl, task)
    if (def.category !== 'function') {
      if (outcome.ok) return { status: 'succeeded' }
      const skip = outcome.timedOut && def.tolerance === true && def.timeline?.skipOnTimeout === 'true'
      return skip ? { status: 'skipped', error: TIMEOUT_MSG } : { status: 'failed', error: outcome.timedOut ? TIMEOUT_MSG : outcome.error }
    }
    if (!outcome.ok) return failure(def, task, outcome.timedOut ? TIMEOUT_MSG : outcome.error, normalizeOutput(outcome.output), outcome.timedOut)
    if (outcome.awaitCallback) return { status: 'hold', deadlineMs: holdDeadlineOf(task) }
    const output = normalizeOutput(outcome.output)
    if (!output) return failure(def, task, 'output is not a JSON object', null, false)
    const resultType = outcome.callback?.resultType ?? (typeof output.result_type === 'string' ? output.result_type : undefined)
    const ok = judge(def, output, resultType)
    const verdict: Verdict = ok ? { status: 'succeeded', output } : failure(def, task, outcome.callback?.reason ?? messageOf(output) ?? `result_type ${resultType}`, output, false)
    // Output mappings run on success, on a failure tolerated into SKIPPED (upstream turns FAILED into
    // SKIPPED first), and on a callback judged by success/failConditions; never before a retry.
    const hasConditions = Boolean(def.successConditions?.length || def.failConditions?.length)
    const retrying = verdict.status === 'failed' && verdict.retryInMs != null
    if (!retrying && (verdict.status !== 'failed' || (outcome.callback && hasConditions))) {
      try {
        // a client's callback (putBack given) is refused a value too large to copy, not skipped: it sends less
        if (putBack) shareCallbackBody(def.outputMappings, route, output)
        mapOutput(def.outputMappings, contextOf(ctl, route), output, putBack ? { ...hooksFor(ctl, task), refuseTooLarge: true } : hooksFor(ctl, task))
        if (def.outputMappings?.length) contextTouched(ctl, route) // no mappings, no change: a 4 MB context is not rewritten (#9 §2)
      } catch (e) {
        if (putBack) refuseIfTooLarge(ctl, route, e, putBack)
        return failure(def, task, (e as Error).message, output, false)
      }
    }
    return verdict
  }

  /** The sub-flow a held flow_sync task waits for (its execution id), if it is one. */
  function flowSyncChild(task: TaskRecord): string | undefined {
    const def = specOf(task).def
    const child = task.runtime?.referencedExecutionId
    return def.category === 'function' && def.pattern === 'flow_sync' && typeof child === 'string' ? child : undefined
  }

  /**
   * A held task ended by a stop of its execution (it is cancelled by then), or reset or removed by a
   * redo: a flow_sync's sub-flow is stopped too (nothing waits for it any more), saying which.
   */
  function stopped(ctl: JobControl, task: TaskRecord): void {
    const child = flowSyncChild(task)
    if (!child) return
    const why = task.status === 'cancelled' ? `stopped with its parent (job #${ctl.job.id}, task ${task.name})` : `stopped: its parent's task ${task.name} (job #${ctl.job.id}) was redone`
    deps.stopSubflow(child, why)
  }

  /**
   * What a held task waits for: `wakeup`, `callback`, `end of sub-flow <id>`, `end of its items` (a
   * foreach), `end of its branches` (a choice) or `answer` (its timeout's note, its job's waiting reason).
   */
  function waitsFor(task: TaskRecord): string {
    const def = specOf(task).def
    const child = flowSyncChild(task)
    if (def.category === 'foreach') return 'end of its items'
    if (def.category === 'choice') return 'end of its branches'
    return def.category === 'suspense' ? 'wakeup' : child ? `end of sub-flow ${child}` : def.category === 'function' && def.pattern !== 'task_sync' ? 'callback' : 'answer'
  }

  /** Says which wait passed its deadline; a flow_sync's child is stopped: nothing waits for it any more. */
  function timedOut(ctl: JobControl, task: TaskRecord): void {
    const child = flowSyncChild(task)
    ctl.log('WARN', timeoutNote(task, waitsFor(task)), task.name)
    if (child) deps.stopSubflow(child, `stopped: its parent's task ${task.name} (job #${ctl.job.id}) timed out`)
  }

  function settled(ctl: JobControl, task: TaskRecord): void {
    subflowBytes.get(ctl.job)?.delete(task.name)
    if (task.status === 'succeeded' || task.status === 'skipped') {
      for (const name of ctl.dependents(task.name)) {
        if (ctl.remaining(name) === 0 && ctl.task(name)?.status === 'pending') ctl.enqueue(name)
      }
    }
    const route = routeOf(task)
    if (route) groupSettled(ctl, route, dagOf(ctl), hooksFor(ctl, task))
  }

  return {
    heldFor: (_ctl, task) => {
      // a foreach or choice holds while its sub-tasks work or wait: the reason names one of those (their wakeup)
      const category = specOf(task).def.category
      if (category === 'foreach' || category === 'choice') return null
      const what = waitsFor(task)
      return what.startsWith('end of') ? `the ${what}` : `its ${what}`
    },
    // a sliced loop (engine/sliced.ts): a restart takes up a waiting foreach of 100k items over several turns
    *activate(ctl) {
      let i = 0
      // the tasks that hold groups, gathered here: not a copy of all 100k tasks made in one step (and
      // its garbage) to loop over again (a group's end may add tasks, which the loop below must not visit)
      const parents: TaskRecord[] = []
      for (const t of ctl.tasks()) {
        if (++i % SLICE_STEP === 0) yield
        if (groupsOf(t)) parents.push(t)
        if (t.status !== 'pending' || ctl.remaining(t.name) > 0) continue
        // a group's task starts only under its running parent (after a crash, its group may have
        // been stored before the parent's start was: the parent makes it again when it runs)
        const route = routeOf(t)
        if (route && ctl.task(parseRoute(route).parent)?.status !== 'running') continue
        ctl.enqueue(t.name)
      }
      // groups whose sub-tasks ended while no one listened (recovery failed an interrupted call)
      for (const t of parents) {
        if (groupsOf(t)) yield* resettleGroups(ctl, t, dagOf(ctl), hooksFor(ctl, t))
        if (++i % SLICE_STEP === 0) yield
      }
      yield* resumeForeachGroups(ctl, dagOf(ctl), (t) => hooksFor(ctl, t))
    },
    prepare,
    interpret,
    settled,
    stopped,
    finalStatus(ctl) {
      for (const t of ctl.tasks()) if (t.status !== 'succeeded' && t.status !== 'skipped') return 'failed'
      return 'succeeded'
    },
    // the context as get_context.json shows it: without the `__<route>` sub-contexts (100k for a wide foreach)
    // as get.json's `process` counts it: top-level tasks by weight, a foreach by its groups ended
    progress: (ctl) => {
      const top = dagOf(ctl).tasks.flatMap((t) => ctl.task(t.name) ?? [])
      return executionProgress(top, ctl.now(), (t) => {
        const groups = groupTable(ctl, t)
        return groups.size - groups.count('running')
      }) / 100
    },
    result: (ctl) => visibleEntries(ctl.job.context ?? {}),
    resultIsContext: true,
    redo(ctl, names) {
      const reset = redoReset([...ctl.tasks()].filter((t) => routeOf(t) === null), names, (n) => ctl.dependents(n))
      // a reset choice/foreach starts its groups afresh: their tasks and sub-contexts go
      const under = (name: string) => [...reset].some((r) => name.startsWith(`${r}_`))
      const remove = [...ctl.tasks()].filter((t) => under(t.name)).map((t) => t.name)
      const apply = () => {
        const context = ctl.job.context ?? {}
        for (const key of Object.keys(context)) if (key.startsWith('__') && under(key.slice(2))) delete context[key]
        ctl.contextChanged()
      }
      return { reset: [...reset], remove, apply }
    },
    // the top-level tasks only: whatever redo resets is one of them, and every task it removes is under one
    redoRoots(job, names, read) {
      const top = read(deps.dagOf(job.workflowId!).tasks.map((t) => t.name))
      const dependents = new Map<string, string[]>(top.map((t) => [t.name, []]))
      for (const t of top) for (const d of t.dependsOn) dependents.get(d)?.push(t.name)
      return [...redoReset(top, names, (n) => dependents.get(n) ?? [])]
    },
    wakeup(ctl, name, body, weigh, putBack) {
      const task = ctl.task(name)!
      const { def } = specOf(task)
      const route = routeOf(task)
      const context = contextOf(ctl, route)
      const waits = def.category === 'suspense' && task.status === 'running'
      let input: Json | undefined
      try {
        // a value too large to copy is refused, not skipped: the client sends less
        if (putBack) shareCallbackBody(def.outputMappings, route, body)
        mapOutput(def.outputMappings, context, body, { ...hooksFor(ctl, task), refuseTooLarge: true })
        if (def.outputMappings?.length) contextTouched(ctl, route) // no mappings, no change
        if (waits) input = mapInput(def.inputMappings, context, hooksFor(ctl, task))
      } catch (e) {
        if (putBack) refuseIfTooLarge(ctl, route, e, putBack)
        // a mapping that fails (`tolerance: false`, or a pass out of budget) fails the waiting task, as after a call
        if (task.status !== 'running') throw e
        ctl.finish(name, 'failed', { error: (e as Error).message })
        return
      }
      if (waits && input !== undefined) {
        task.input = input // what the conditions now see, for get.json and the task panel
        task.output = body
        ctl.taskChanged(name)
      }
      // all the wakeup writes (the mapped context, the body kept as the task's output) are saved and
      // weighed before anything follows from it: past a bound the wakeup is refused with them put back,
      // as upstream's saveContext throws before the task changes
      if (def.outputMappings?.length || (waits && input !== undefined)) weigh?.()
      if (!waits || input === undefined) return
      const verdict = suspenseVerdict(def, input)
      if (verdict?.action === 'finish') ctl.finish(name, verdict.status, { error: verdict.error })
    },
  }
}

/**
 * The size refusal behind `e` (a MappingError's cause), if any: a ContextGrowthError (the context's
 * UTF-8 bytes of JSON and its limit), or a ValueTooLargeError of a value over VALUE_LIMITS (the value's
 * least bytes of JSON, jsonLengthOf, and the limit it passed: maxBytes bytes, else maxNodes elements).
 */
function growthOf(e: unknown): { bytes: number; limit: number } | undefined {
  for (let at = e, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    if (at instanceof ContextGrowthError) return at
    if (at instanceof ValueTooLargeError && at.size) {
      // `bytes` is what Rill Flow's "content length:N" names: bytes, as upstream's, never a count of elements
      const bytes = jsonLengthOf(at.size)
      return { bytes, limit: bytes > VALUE_LIMITS.maxBytes ? VALUE_LIMITS.maxBytes : VALUE_LIMITS.maxNodes }
    }
  }
  return undefined
}

/** What outside calls (wakeup.json) may do to a running execution. */
export interface RillActions {
  /**
   * Maps `body` as suspense `task`'s `$.output` into its context and, the task waiting, re-evaluates its
   * conditions. `weigh` (Engine.actSaved) is called once the context and the task (its input, `body` as
   * its output) are written, before anything follows from them; what it throws (StateTooLarge) is
   * thrown, the task left waiting. A mapping that would take the context past its size limit
   * (value-budget.ts ContextGrowthError) throws StateTooLarge (bound `context`) with the context put
   * back as stored by `putBack`, when given (without it, it fails the task as any failed mapping does).
   */
  wakeup(ctl: JobControl, task: string, body: Json, weigh?: () => void, putBack?: () => void): void
}

/**
 * The context without its `__<route>` entries (the execution's result), copied key by key: no array
 * per entry (30,000 keys, #9 §2). A context without such entries is the result itself: the job has
 * ended, so nothing writes it any more (a redo clears the result first), and copying 240,000 keys
 * into a new map held the main thread ~300 ms.
 */
function visibleEntries(context: Json): Json {
  const keys = Object.keys(context)
  if (!keys.some((key) => key.startsWith('__'))) return context
  const visible: Json = {}
  for (const key of keys) if (!key.startsWith('__')) visible[key] = context[key]
  return visible
}

/**
 * The top-level tasks a redo of `names` resets: each name's top-level ancestor (the name before its
 * first `_`: redo.json names any task), or every top-level task that has not ended well when no name
 * is given, and all downstream of them (`dependents`).
 */
function redoReset(top: readonly TaskRecord[], names: string[] | null, dependents: (name: string) => readonly string[]): Set<string> {
  const start = names?.length
    ? [...new Set(names.map((n) => n.split('_')[0]))].filter((n) => top.some((t) => t.name === n))
    : top.filter((t) => t.status !== 'pending' && t.status !== 'succeeded' && t.status !== 'skipped').map((t) => t.name)
  const reset = new Set<string>()
  const todo = [...start]
  while (todo.length) {
    const n = todo.pop()!
    if (!reset.has(n)) todo.push(...dependents(n))
    reset.add(n)
  }
  return reset
}
