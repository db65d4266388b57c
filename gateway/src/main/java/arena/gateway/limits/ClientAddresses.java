package arena.gateway.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which address a request comes from. The direct peer, unless it is a configured trusted proxy
 * (a load balancer, an ingress): then the rightmost address of {@code X-Forwarded-For} that is not
 * itself a trusted proxy, since every proxy appends the peer it saw and only the entries added by
 * our own proxies can be believed. With no trusted proxies (the default) the header is ignored: a
 * client could write anything there.
 */
public final class ClientAddresses {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** An address block: an address and how many leading bits must match. */
  record Block(byte[] address, int bits) {
    boolean contains(InetAddress candidate) {
      byte[] other = candidate.getAddress();
      if (other.length != address.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (other[i] != address[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (other[whole] & mask) == (address[whole] & mask);
    }
  }

  private final List<Block> trusted;

  private ClientAddresses(List<Block> trusted) {
    this.trusted = trusted;
  }

  /**
   * From addresses ({@code 10.0.0.7}, {@code ::1}) and blocks ({@code 10.0.0.0/8}); stops with a
   * message naming {@code key} when one is neither.
   */
  public static ClientAddresses trusting(List<String> proxies, String key) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : proxies) {
      String text = entry.trim();
      int slash = text.indexOf('/');
      InetAddress address = literal(slash < 0 ? text : text.substring(0, slash))
          .orElseThrow(() -> new IllegalArgumentException(key + ": '" + entry + "' is not an IP address or CIDR block"));
      int max = address.getAddress().length * 8;
      int bits = max;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > max) {
          throw new IllegalArgumentException(key + ": '" + entry + "' has a prefix length outside 0-" + max);
        }
      }
      blocks.add(new Block(address.getAddress(), bits));
    }
    return new ClientAddresses(List.copyOf(blocks));
  }

  /**
   * The client's address, as text. {@code peer} is the direct peer (empty when unknown),
   * {@code forwardedFor} the values of every {@code X-Forwarded-For} header in order.
   */
  public String resolve(Optional<InetAddress> peer, List<String> forwardedFor) {
    if (peer.isEmpty()) {
      return "unknown";
    }
    InetAddress client = peer.get();
    if (!isTrusted(client)) {
      return client.getHostAddress();
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.trim());
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        break; // garbage from beyond our proxies: the last hop we could believe sent it
      }
      client = hop.get();
      if (!isTrusted(client)) {
        break;
      }
    }
    return client.getHostAddress();
  }

  private boolean isTrusted(InetAddress address) {
    for (Block block : trusted) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** An IP literal; never a name lookup, whatever the text. */
  static Optional<InetAddress> literal(String text) {
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v4 = IPV4.matcher(t).matches();
    if (v4) {
      for (String octet : t.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return Optional.empty(); // InetAddress would take it for a host name and look it up
        }
      }
    } else if (!IPV6.matcher(t).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
