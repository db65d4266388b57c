-- The game directory (arena.session.GameDirectory) that the game lists read: one row per game,
-- written by its session on lifecycle events (created, joined, left, started, ended) and when it
-- recovers, never on a move. A row is replaced only by one with a higher seq.
CREATE TABLE IF NOT EXISTS game_directory (
  game_id VARCHAR(255) NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL,
  game VARCHAR(64) NOT NULL,
  visibility VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  turn_seconds INTEGER NOT NULL,
  -- the seated players as the game state shows them: [{"seat","playerId","name"}]
  players VARCHAR(4000) NOT NULL,
  -- once finished: {"outcome","winnerSeat","reason"}
  result VARCHAR(1000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Open games, newest first; games being played, most recently started first.
CREATE INDEX IF NOT EXISTS game_directory_created_idx ON game_directory (status, visibility, created_at);
CREATE INDEX IF NOT EXISTS game_directory_started_idx ON game_directory (status, visibility, started_at);

-- Who is seated where: a player's own games, and how many of them are waiting or active.
CREATE TABLE IF NOT EXISTS game_directory_player (
  player_id VARCHAR(255) NOT NULL,
  game_id VARCHAR(255) NOT NULL,
  PRIMARY KEY (player_id, game_id)
);

CREATE INDEX IF NOT EXISTS game_directory_player_game_idx ON game_directory_player (game_id);
