// JobDesk's task kinds as the flow-graph editor's node palette shows them: per category, an icon and
// the form of its fields (a JSON-Schema-like object per field, what the editor's node form renders;
// `required` marks the fields a descriptor must have). The fields are those JobDesk's descriptor
// reader accepts (workflows/rillflow/descriptor/types.ts); the wording is JobDesk's own.

import { FUNCTION_PATTERNS, TASK_IO_TYPES, type TaskCategory } from '../../../../workflows/rillflow/descriptor/types'

type Field = Record<string, unknown>

const str = (title: string, required = false, extra: Field = {}): Field => ({ type: 'string', title, required, ...extra })
const choice = (title: string, values: readonly string[], required = false): Field => str(title, required, { oneOf: values.map((v) => ({ title: v, const: v })) })
const strList = (title: string, required = false): Field => ({ type: 'array', title, required, items: { type: 'string' } })
const mappings = (title: string, required = false): Field => ({
  type: 'array',
  title,
  required,
  items: {
    type: 'object',
    properties: {
      source: str('Source: a JSONPath ($.context.x, $.input.x, $.output.x) or a constant'),
      target: str('Target: a JSONPath'),
      transform: str('Aviator expression applied to the value (`source` holds it)'),
      reference: str('Name of a commonMapping list to use instead'),
      tolerance: { type: 'boolean', title: 'Ignore errors of this mapping' },
    },
  },
})

const COMMON: Record<string, Field> = {
  name: str('Task name (letters and digits, unique in the DAG)', true, { default: '' }),
  title: str('Title shown on the node', false, { default: '' }),
  description: str('Description', false, { default: '' }),
}
const NEXT = { next: str('Next tasks (comma-separated names)') }
const TIMELINE = {
  timeline: {
    type: 'object',
    title: 'Timeline',
    properties: { timeoutInSeconds: str('Timeout (seconds)'), suspenseIntervalSeconds: str('Start after (seconds)'), suspenseTimestamp: str('Start at (epoch ms or JSONPath)') },
  },
}

/** Field forms per category; choice is left out of the palette (its sub-DAGs are not drawn), as upstream does. */
export const TASK_FIELDS: Partial<Record<TaskCategory, Record<string, Field>>> = {
  function: {
    ...COMMON,
    resourceName: str('Resource: an http(s):// URL, rillflow://workspace:dagName (a sub-flow) or resource://name', true, { default: '' }),
    resourceProtocol: str('Resource protocol (taken from the resource when empty)'),
    requestType: choice('HTTP method', ['POST', 'GET', 'PUT', 'DELETE'], false),
    pattern: choice('Pattern', FUNCTION_PATTERNS, true),
    inputType: choice('Input type', TASK_IO_TYPES),
    outputType: choice('Output type', TASK_IO_TYPES),
    tolerance: { type: 'boolean', title: 'A failure skips this task instead of failing the DAG', default: false },
    inputMappings: mappings('Input mappings'),
    outputMappings: mappings('Output mappings'),
    successConditions: strList('Success conditions (JSONPath filters on $.output, all must match)'),
    failConditions: strList('Fail conditions (JSONPath filters on $.output, all must match)'),
    retry: {
      type: 'object',
      title: 'Retry',
      properties: {
        maxRetryTimes: { type: 'integer', title: 'Retries at most' },
        intervalInSeconds: { type: 'integer', title: 'Interval (seconds)' },
        multiplier: { type: 'number', title: 'Interval multiplier' },
        conditions: strList('Retry only when one of these matches $.output'),
      },
    },
    ...TIMELINE,
    ...NEXT,
  },
  pass: { ...COMMON, inputMappings: mappings('Input mappings'), outputMappings: mappings('Output mappings'), ...NEXT },
  return: { ...COMMON, inputMappings: mappings('Input mappings'), conditions: strList('Conditions (JSONPath filters on $.input, all must match)', true), ...NEXT },
  switch: {
    ...COMMON,
    inputMappings: mappings('Input mappings'),
    switches: {
      type: 'array',
      title: 'Cases, in order',
      required: true,
      items: {
        type: 'object',
        properties: {
          condition: str('Condition (a JSONPath filter on $.input, or "default")'),
          next: str('Tasks this case runs (comma-separated)'),
          break: { type: 'boolean', title: 'Stop at this case when it matches' },
        },
      },
    },
  },
  foreach: {
    ...COMMON,
    iterationMapping: {
      type: 'object',
      title: 'Iteration',
      required: true,
      properties: {
        collection: str('Collection to iterate (JSONPath on $.input)', true),
        item: str('Name of the item in each sub-context', true),
        index: str('Name of the index in each sub-context'),
        identity: str('Identity of each iteration'),
      },
    },
    synchronization: {
      type: 'object',
      title: 'Concurrency',
      properties: { conditions: strList('Conditions'), maxConcurrency: str('Most iterations at once') },
    },
    inputMappings: mappings('Input mappings'),
    outputMappings: mappings('Output mappings'),
    ...NEXT,
  },
  suspense: {
    ...COMMON,
    inputMappings: mappings('Input mappings'),
    outputMappings: mappings('Output mappings'),
    conditions: strList('Wake when these match $.input (all)', true),
    interruptions: strList('Fail when one of these matches $.input'),
    tolerance: { type: 'boolean', title: 'A timeout skips this task instead of failing the DAG', default: false },
    ...TIMELINE,
    ...NEXT,
  },
}

/** The palette icon of each category (Iconify names, as the editor renders them). */
export const TASK_ICONS: Record<string, string> = {
  function: 'ant-design:api-outlined',
  pass: 'ant-design:issues-close-outlined',
  return: 'ant-design:filter-outlined',
  switch: 'ant-design:branches-outlined',
  foreach: 'ant-design:sync-outlined',
  suspense: 'ant-design:pause-circle-outlined',
}
