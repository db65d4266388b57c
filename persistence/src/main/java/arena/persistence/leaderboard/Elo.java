package arena.persistence.leaderboard;

/**
 * The Elo rating system as ARENA-SPEC §3 fixes it: everyone starts at 1200, K = 32, a win scores
 * 1, a draw 0.5 and a loss 0. Pure arithmetic, no rounding: ratings are doubles.
 */
final class Elo {

  /** A new player's rating. */
  static final double START = 1200.0;

  /** How far one game can move a rating. */
  static final double K = 32.0;

  static final double WIN = 1.0;
  static final double DRAW = 0.5;
  static final double LOSS = 0.0;

  private Elo() {}

  /** The score {@code rating} is expected to make against {@code opponent}, between 0 and 1. */
  static double expected(double rating, double opponent) {
    return 1.0 / (1.0 + Math.pow(10.0, (opponent - rating) / 400.0));
  }

  /** The rating after one game that scored {@code score} against {@code opponent}. */
  static double next(double rating, double opponent, double score) {
    return rating + K * (score - expected(rating, opponent));
  }
}
