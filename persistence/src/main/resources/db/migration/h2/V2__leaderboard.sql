-- The leaderboard on the embedded H2 database: pekko-projection-jdbc's offset store, and the
-- projection's own tables. Same shape as the PostgreSQL migration of the same version.

-- pekko-projection-jdbc 1.0.0 offset store, as its h2-dialect (use-lowercase-schema = true)
-- creates it: quoted lower-case names.
CREATE TABLE IF NOT EXISTS "pekko_projection_offset_store" (
  "projection_name" VARCHAR(255) NOT NULL,
  "projection_key" VARCHAR(255) NOT NULL,
  "current_offset" VARCHAR(255) NOT NULL,
  "manifest" VARCHAR(4) NOT NULL,
  "mergeable" BOOLEAN NOT NULL,
  "last_updated" BIGINT NOT NULL,
  PRIMARY KEY("projection_name", "projection_key")
);

CREATE INDEX IF NOT EXISTS "projection_name_index" ON "pekko_projection_offset_store" ("projection_name");

CREATE TABLE IF NOT EXISTS "pekko_projection_management" (
  "projection_name" VARCHAR(255) NOT NULL,
  "projection_key" VARCHAR(255) NOT NULL,
  "paused" BOOLEAN NOT NULL,
  "last_updated" BIGINT NOT NULL,
  PRIMARY KEY("projection_name", "projection_key")
);

-- One row per game type and player. updated_at is when the last counted game of the player ended.
-- (The database URL folds unquoted names to lower case, so the same queries run here and on
-- PostgreSQL; H2 compares strings by code point.)
CREATE TABLE IF NOT EXISTS leaderboard (
  game VARCHAR(255) NOT NULL,
  player_id VARCHAR(255) NOT NULL,
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
