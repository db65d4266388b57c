package arena.gateway.ws;

/** What a connection actor puts into its socket's bounded outgoing queue. */
sealed interface Outgoing {

  /** One text frame. */
  record Text(String json) implements Outgoing {}

  /** Close the socket with this code once the frames before it are sent. */
  record Close(int code) implements Outgoing {}
}
