package arena.gateway.protocol;

/** A request that cannot be acted on, with the spec's error code. */
public final class ProtocolException extends Exception {

  private final String code;

  public ProtocolException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public static ProtocolException badRequest(String message) {
    return new ProtocolException(ErrorCodes.BAD_REQUEST, message);
  }

  public String code() {
    return code;
  }
}
