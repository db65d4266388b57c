package arena.gateway.protocol;

import arena.ErrorCode;

/** A request that cannot be acted on, with the spec's error code. */
public final class ProtocolException extends Exception {

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public static ProtocolException badRequest(String message) {
    return new ProtocolException(ErrorCode.BAD_REQUEST, message);
  }

  public ErrorCode code() {
    return code;
  }
}
