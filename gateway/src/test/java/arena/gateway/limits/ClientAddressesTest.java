package arena.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

  private static Optional<InetAddress> peer(String ip) {
    return ClientAddresses.literal(ip);
  }

  @Test
  void withoutTrustedProxiesTheForwardingHeaderIsIgnored() {
    ClientAddresses none = ClientAddresses.trusting(List.of(), "key");
    assertThat(none.resolve(peer("203.0.113.9"), List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
  }

  @Test
  void aTrustedProxyNamesTheRightmostHopThatIsNotItselfTrusted() {
    ClientAddresses lb = ClientAddresses.trusting(List.of("10.0.0.0/8", "192.168.1.5"), "key");
    // the client wrote 1.1.1.1 itself; our ingress (10.1.2.3) appended the real peer, 203.0.113.7
    assertThat(lb.resolve(peer("192.168.1.5"), List.of("1.1.1.1, 203.0.113.7", "10.1.2.3")))
        .isEqualTo("203.0.113.7");
    assertThat(lb.resolve(peer("10.9.9.9"), List.of())).isEqualTo("10.9.9.9");
    assertThat(lb.resolve(peer("10.9.9.9"), List.of("10.1.1.1"))).isEqualTo("10.1.1.1");
    assertThat(lb.resolve(peer("198.51.100.2"), List.of("1.1.1.1"))).isEqualTo("198.51.100.2");
  }

  @Test
  void garbageInTheHeaderStopsAtTheLastHopThatCouldBeBelieved() {
    ClientAddresses lb = ClientAddresses.trusting(List.of("10.0.0.0/8"), "key");
    assertThat(lb.resolve(peer("10.0.0.1"), List.of("evil.example.com, 10.0.0.2"))).isEqualTo("10.0.0.2");
    assertThat(lb.resolve(peer("10.0.0.1"), List.of("999.1.1.1"))).isEqualTo("10.0.0.1");
  }

  @Test
  void blocksMatchByPrefixOnIpv4AndIpv6() {
    ClientAddresses lb = ClientAddresses.trusting(List.of("172.16.0.0/12", "fd00::/8"), "key");
    assertThat(lb.resolve(peer("172.31.255.255"), List.of("203.0.113.1"))).isEqualTo("203.0.113.1");
    assertThat(lb.resolve(peer("172.32.0.1"), List.of("203.0.113.1"))).isEqualTo("172.32.0.1");
    assertThat(lb.resolve(peer("fd12::1"), List.of("2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void namesAreNeverLookedUpAndBadEntriesStopStartUp() {
    assertThat(ClientAddresses.literal("localhost")).isEmpty();
    assertThat(ClientAddresses.literal("256.0.0.1")).isEmpty();
    assertThatThrownBy(() -> ClientAddresses.trusting(List.of("proxy.internal"), "arena.x.trusted-proxies"))
        .hasMessageContaining("arena.x.trusted-proxies");
    assertThatThrownBy(() -> ClientAddresses.trusting(List.of("10.0.0.0/33"), "arena.x.trusted-proxies"))
        .hasMessageContaining("prefix length");
  }
}
