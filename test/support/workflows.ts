// Rill Flow descriptors more than one test file runs.

/** A choice `pick` on `$.context.n`: branch `big` when n > 5, `small` otherwise (a task list entry, at tasks' indent). */
export const PICK_CHOICE = `  - category: choice
    name: pick
    inputMappings: [{source: $.context.n, target: $.input.n}]
    choices:
      - {condition: "$.input.[?(@.n > 5)]", tasks: [{category: pass, name: big}]}
      - {condition: "$.input.[?(@.n <= 5)]", tasks: [{category: pass, name: small}]}
`

/**
 * demo:nested: a foreach `each` over `$.context.items` whose items run `prep` and then wait in
 * `hold` until woken (`/flow/wakeup.json?task_name=each_<i>-hold` with `{go: true}`), then PICK_CHOICE:
 * tasks nested one level down in a foreach and in a choice.
 */
export const NESTED_WORKFLOW = `workspace: demo
dagName: nested
type: flow
tasks:
  - category: foreach
    name: each
    next: pick
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - {category: pass, name: prep, next: hold}
      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
         inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}
${PICK_CHOICE}`
