package arena.gateway.ws;

import arena.ErrorCode;
import arena.gateway.protocol.ClientFrame;
import arena.gateway.protocol.ProtocolException;
import arena.session.GameIds;

/**
 * Refuses, at the edge, a frame naming a game id that Arena cannot have issued: it is answered
 * {@code not_found} without a message to Cluster Sharding, which would start an entity (a
 * recovery query, remember-entities writes) for every id a client makes up.
 */
final class ForgedGameIds {

  private ForgedGameIds() {}

  /** {@code frame} itself, or {@code not_found} if it names a game id Arena never issues. */
  static ClientFrame refuse(ClientFrame frame) throws ProtocolException {
    String gameId = gameIdOf(frame);
    if (gameId != null && !GameIds.couldBeIssued(gameId)) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "no game " + gameId);
    }
    return frame;
  }

  /** The game a frame names, or null for frames that name none. */
  static String gameIdOf(ClientFrame frame) {
    if (frame instanceof ClientFrame.Join f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Move f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Resign f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Leave f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Subscribe f) {
      return f.gameId();
    } else if (frame instanceof ClientFrame.Unsubscribe f) {
      return f.gameId();
    }
    return null;
  }
}
