-- The wake-up schedule on the embedded H2 database; same shape as the PostgreSQL migration of the
-- same version.
CREATE TABLE IF NOT EXISTS session_wakeup (
  game_id VARCHAR(255) NOT NULL PRIMARY KEY,
  wake_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS session_wakeup_at_idx ON session_wakeup (wake_at);
