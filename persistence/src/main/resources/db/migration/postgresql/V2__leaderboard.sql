-- The leaderboard: pekko-projection-jdbc's offset store, and the projection's own tables.

-- pekko-projection-jdbc 1.0.0 offset store, as its postgres-dialect (use-lowercase-schema = true)
-- creates it: the table names are pekko.projection.jdbc.offset-store.table and .management-table.
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  current_offset VARCHAR(255) NOT NULL,
  manifest VARCHAR(4) NOT NULL,
  mergeable BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);

CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  paused BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);

-- One row per game type and player. updated_at is when the last counted game of the player ended.
-- player_id sorts by code point (COLLATE "C"), as it does on H2, whatever the database's locale.
CREATE TABLE IF NOT EXISTS leaderboard (
  game VARCHAR(255) NOT NULL,
  player_id VARCHAR(255) COLLATE "C" NOT NULL,
  name VARCHAR(255) NOT NULL,
  rating DOUBLE PRECISION NOT NULL,
  wins INTEGER NOT NULL,
  losses INTEGER NOT NULL,
  draws INTEGER NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY(game, player_id)
);

-- The leaderboard query walks this index: one game type, best first.
CREATE INDEX IF NOT EXISTS leaderboard_rank_idx ON leaderboard (game, rating DESC, wins DESC, player_id);

-- Every game already counted: a game found here is never counted again.
CREATE TABLE IF NOT EXISTS leaderboard_game (
  game_id VARCHAR(255) NOT NULL PRIMARY KEY,
  game VARCHAR(255) NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE NOT NULL
);
