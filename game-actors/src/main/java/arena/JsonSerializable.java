package arena;

/**
 * Marker for every message that is stored or crosses nodes: bound to Pekko's {@code jackson-json}
 * serializer in {@code reference.conf}. Java serialization is off.
 */
public interface JsonSerializable {}
