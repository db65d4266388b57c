package arena.gateway.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/** The node's open player connections: counted for operators, told when the node leaves. */
public final class ConnectionRegistry {

  private final Set<ActorRef<Connection.Msg>> open = ConcurrentHashMap.newKeySet();

  void add(ActorRef<Connection.Msg> connection) {
    open.add(connection);
  }

  void remove(ActorRef<Connection.Msg> connection) {
    open.remove(connection);
  }

  public int count() {
    return open.size();
  }

  /** Tells every connection that the node leaves: each sends {@code shutdown} and closes with 1012. */
  public void closeAllForShutdown() {
    open.forEach(connection -> connection.tell(Connection.NodeLeaving.INSTANCE));
  }
}
