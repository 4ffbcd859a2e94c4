// Walking the task tree level by level. A "level" is one list of sibling tasks whose
// `next` may name each other: the top-level tasks, a foreach's tasks, or all the tasks of
// a choice's branches together (ChoiceTask.subTasks flattens its choices).

import type { Site } from './error'
import type { LineIndex, YamlPath } from './lines'
import type { Task } from './types'

export interface TaskRef {
  task: Task
  /** YAML path of the task object, e.g. ['tasks', 1, 'choices', 0, 'tasks', 2]. */
  path: YamlPath
  /** Names from the top-level ancestor down to this task. */
  route: readonly string[]
}

export function topLevel(tasks: readonly Task[]): TaskRef[] {
  return tasks.map((task, i) => ({ task, path: ['tasks', i], route: [task.name] }))
}

/** The sub-task level of a choice or foreach; empty for every other category. */
export function subLevel(parent: TaskRef): TaskRef[] {
  const make = (task: Task, path: YamlPath): TaskRef => ({ task, path, route: [...parent.route, task.name] })
  const { task } = parent
  if (task.category === 'foreach') return task.tasks.map((t, i) => make(t, [...parent.path, 'tasks', i]))
  if (task.category === 'choice') {
    return task.choices.flatMap((choice, c) => choice.tasks.map((t, i) => make(t, [...parent.path, 'choices', c, 'tasks', i])))
  }
  return []
}

/** Every level of the tree, parents before children. */
export function allLevels(tasks: readonly Task[]): TaskRef[][] {
  const levels: TaskRef[][] = []
  const visit = (level: TaskRef[]): void => {
    levels.push(level)
    for (const ref of level) {
      const children = subLevel(ref)
      if (children.length > 0) visit(children)
    }
  }
  visit(topLevel(tasks))
  return levels
}

/** Every task in document order (depth-first, a parent before its sub-tasks). */
export function allTasks(tasks: readonly Task[]): TaskRef[] {
  const out: TaskRef[] = []
  const visit = (level: TaskRef[]): void => {
    for (const ref of level) {
      out.push(ref)
      visit(subLevel(ref))
    }
  }
  visit(topLevel(tasks))
  return out
}

/** `next: "b, c"` → ['b', 'c']; spaces trimmed and empty entries dropped. */
export function splitNext(next: string | undefined): string[] {
  if (!next) return []
  return next.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

/** The error site of a task: its YAML path and name. */
export function siteOf(ref: TaskRef, lines: LineIndex | undefined): Site {
  return { path: ref.path, task: ref.task.name, lines }
}
