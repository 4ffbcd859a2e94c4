// When the engine was last known running with live jobs (engine/heartbeat.ts). After a crash the
// restart's recovery ends the interrupted tasks then, not at the restart (newuser3: a job killed by
// kill -9 showed the restart as its end and the downtime in its duration). One row.
export default `
CREATE TABLE engine_heartbeat (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  alive_at INTEGER NOT NULL
);
`
