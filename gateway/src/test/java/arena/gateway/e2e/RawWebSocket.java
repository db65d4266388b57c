package arena.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket, for what the JDK's client cannot do: connect from a
 * chosen local address (per-address limits), keep a tiny receive buffer and stop reading (a slow
 * reader), and see the upgrade's refusal as it is.
 */
public final class RawWebSocket implements AutoCloseable {

  /** What the server answered the upgrade with. */
  public record Upgrade(int status, String head, String body, RawWebSocket socket) {}

  /** What the server sent until it closed the connection: texts, and the close frame's code (-1: none). */
  public record Received(List<String> texts, int closeCode, boolean closed) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Sends the upgrade request for {@code /ws?token=} from {@code localAddress} with a receive
   * buffer of {@code receiveBuffer} bytes (0: the system's), and reads the response head.
   */
  public static Upgrade connect(int port, String token, String localAddress, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(15_000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = "GET /ws?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    RawWebSocket ws = new RawWebSocket(socket);
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = ws.in.read();
      if (b < 0) {
        throw new EOFException("the server closed during the upgrade: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(text.substring(9, 12));
    if (status != 101) {
      java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
      byte[] body = new byte[length.find() ? Integer.parseInt(length.group(1)) : 0];
      new DataInputStream(ws.in).readFully(body);
      socket.close();
      return new Upgrade(status, text, new String(body, StandardCharsets.UTF_8), null);
    }
    return new Upgrade(status, text, "", ws);
  }

  /** Sends one masked text frame, as a client must. */
  public void sendText(String text) throws IOException {
    sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame: {@code opcode} (0 for a continuation), final or not. */
  public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** One frame from the server. */
  public record Frame(int opcode, boolean fin, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's code, or -1. */
    public int closeCode() {
      return opcode == 0x8 && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  /** Reads the next frame the server sends (the socket's read timeout applies). */
  public Frame readFrame() throws IOException {
    DataInputStream data = new DataInputStream(in);
    int first = data.readUnsignedByte();
    int second = data.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = data.readUnsignedShort();
    } else if (length == 127) {
      length = data.readLong();
    }
    byte[] payload = new byte[(int) length];
    data.readFully(payload);
    return new Frame(first & 0x0f, (first & 0x80) != 0, payload);
  }

  /**
   * Reads everything the server sends until it ends the connection (end of stream or reset),
   * within {@code timeout}; {@code closed} is false if it was still open then.
   */
  public Received readUntilClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> texts = new ArrayList<>();
    int closeCode = -1;
    try {
      while (true) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        Frame frame = readFrame(); // the end of the stream is an EOFException here
        if (frame.opcode() == 0x1) {
          texts.add(frame.text());
        } else if (frame.closeCode() >= 0) {
          closeCode = frame.closeCode();
        }
      }
    } catch (EOFException | SocketException e) {
      return new Received(texts, closeCode, true); // ended mid-frame or reset: closed all the same
    } catch (SocketTimeoutException e) {
      return new Received(texts, closeCode, false);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
