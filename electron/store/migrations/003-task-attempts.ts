// Every finished attempt of a task (start, end, outcome): the invoke history shown in the UI and get.json.
export default `ALTER TABLE tasks ADD COLUMN attempts TEXT NOT NULL DEFAULT '[]';`
