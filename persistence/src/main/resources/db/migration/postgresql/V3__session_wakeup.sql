-- The wake-up schedule (arena.session.Wakeups): a live game that went idle and left memory stores
-- here when its clock next needs it; the node's WakeupSweeper starts it again shortly before.
CREATE TABLE IF NOT EXISTS session_wakeup (
  game_id VARCHAR(255) NOT NULL PRIMARY KEY,
  wake_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The sweeper reads the earliest wake-ups first.
CREATE INDEX IF NOT EXISTS session_wakeup_at_idx ON session_wakeup (wake_at);
