package arena.session;

/**
 * What game sessions report for operators' metrics. The node binds it to its metrics registry;
 * the domain knows no metrics library.
 */
public interface SessionMetrics {

  /** Reports nothing (tests, benchmarks). */
  SessionMetrics NONE = (events, nanos, moves) -> {};

  /** A session restarted after its journal failed or rejected a write (it recovers from storage). */
  default void persistFailed() {}

  /** A subscription was refused because the game had arena.session.max-subscribers already. */
  default void subscriberRefused() {}

  /**
   * Events were stored: {@code nanos} from handling the command to the journal's confirmation,
   * {@code moves} of them were moves.
   */
  void persisted(int events, long nanos, int moves);
}
