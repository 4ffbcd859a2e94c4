import type { ScriptLanguage } from '../../../../shared/api'

/** The order and names of the language picker (Scriptis shows SQL first). */
export const LANGUAGE_ORDER: readonly ScriptLanguage[] = ['sql', 'python', 'shell', 'cypher']

export const LANGUAGE_LABELS: Record<ScriptLanguage, string> = {
  sql: 'SQL',
  python: 'Python',
  shell: 'Shell',
  cypher: 'Cypher',
}

/** What each language runs against, shown under the picker. */
export const LANGUAGE_HINTS: Record<ScriptLanguage, string> = {
  sql: 'SQLite, in your own scratch database (tables stay between runs). Each SELECT becomes a result set.',
  python: 'python3. What the script prints becomes a text result; stderr goes to the log.',
  shell: '/bin/sh (cmd.exe on Windows). What the script prints becomes a text result; stderr goes to the log.',
  cypher: 'Cypher (TuGraph’s dialect) on the chosen local graph. Statements run in order; each that returns rows becomes a result set.',
}

/** The text a new editor of each language starts with. */
export const STARTER_CODE: Record<ScriptLanguage, string> = {
  sql: `-- Each SELECT becomes a result set; \${run_date} is yesterday (yyyyMMdd).
with visits(page, hits) as (values ('/home', 42), ('/jobs', 7), ('/home', 3))
select '\${run_date}' as run_date, page, sum(hits) as hits
from visits
group by page
order by hits desc;
`,
  python: `# What you print becomes the text result.
import platform

print("run date: \${run_date}")
print("python", platform.python_version())
`,
  shell: `# What the script prints becomes the text result; stderr goes to the log.
echo "run date: \${run_date}"
uname -a
`,
  cypher: `// Find ten nodes and their neighbours.
MATCH (n)-[r]->(m)
RETURN n, r, m
LIMIT 10
`,
}

/** The first line that says something (not blank, not only a comment marker), for lists. */
export function firstLineOf(code: string): string {
  const lines = code.split('\n').map((l) => l.trim())
  const meaningful = lines.find((l) => l && !/^(--|#|\/\/)/.test(l))
  return (meaningful ?? lines.find((l) => l) ?? '').slice(0, 200)
}
