package arena.gateway.ops;

import arena.gateway.ws.ConnectionRegistry;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What operators' endpoints read about this node: its database pool and its player connections.
 * An extension, because Pekko Management instantiates health checks and routes by class name.
 */
public final class NodeState implements Extension {

  private final AtomicReference<DataSource> database = new AtomicReference<>();
  private final AtomicReference<ConnectionRegistry> connections = new AtomicReference<>();
  private final AtomicReference<NodeMetrics> metrics = new AtomicReference<>();
  private final AtomicReference<DatabaseProbe> probe = new AtomicReference<>();

  public static final ExtensionId<NodeState> ID = new ExtensionId<>() {
    @Override
    public NodeState createExtension(ActorSystem<?> system) {
      return new NodeState();
    }
  };

  public static NodeState get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public void started(DataSource database, ConnectionRegistry connections, NodeMetrics metrics) {
    this.database.set(database);
    this.connections.set(connections);
    this.metrics.set(metrics);
  }

  public void probing(DatabaseProbe probe) {
    this.probe.set(probe);
  }

  /** The background database check behind /ready; null before the node has started it. */
  public DatabaseProbe probe() {
    return probe.get();
  }

  public NodeMetrics metrics() {
    return metrics.get();
  }

  public DataSource database() {
    return database.get();
  }

  public ConnectionRegistry connections() {
    return connections.get();
  }
}
