package arena.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import arena.gateway.protocol.ClientFrame;
import arena.gateway.protocol.ProtocolException;
import arena.session.GameIds;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the WebSocket limits: socket counts, the outgoing byte budget, forged ids. */
class SocketLimitsTest {

  private final List<String> refusals = new ArrayList<>();

  private SocketLimits limits(boolean perAddress) {
    return new SocketLimits(new SocketLimits.Settings(2, 3, perAddress, Duration.ofSeconds(5), 2, 16 * 1024),
        refusals::add);
  }

  @Test
  void aPlayerBeyondTheirSocketsIsRefusedWith429AndRetryAfter() {
    SocketLimits limits = limits(true);
    assertThat(limits.admit("p", "10.0.0.1").slot()).isNotNull();
    assertThat(limits.admit("p", "10.0.0.2").slot()).isNotNull();
    SocketLimits.Admission third = limits.admit("p", "10.0.0.3");
    assertThat(third.slot()).isNull();
    assertThat(third.refusal().status().intValue()).isEqualTo(429);
    assertThat(third.refusal().getHeader("Retry-After").orElseThrow().value()).isEqualTo("5");
    assertThat(refusals).containsExactly(SocketLimits.SOCKETS_PER_PLAYER);
    assertThat(limits.admit("q", "10.0.0.3").slot()).as("another player").isNotNull();
  }

  @Test
  void anAddressBeyondItsSocketsIsRefusedAndTheRefusalTakesNoPlayerPlace() {
    SocketLimits limits = limits(true);
    for (String player : List.of("a", "b", "c")) {
      assertThat(limits.admit(player, "10.0.0.1").slot()).isNotNull();
    }
    SocketLimits.Admission refused = limits.admit("d", "10.0.0.1");
    assertThat(refused.refusal().status().intValue()).isEqualTo(429);
    assertThat(refusals).containsExactly(SocketLimits.SOCKETS_PER_ADDRESS);
    assertThat(limits.socketsOf("d")).isZero();
  }

  @Test
  void withPerAddressLimitsOffOnlyThePlayerLimitHolds() {
    SocketLimits limits = limits(false);
    for (int i = 0; i < 10; i++) {
      assertThat(limits.admit("p" + i, "10.0.0.1").slot()).isNotNull();
    }
    assertThat(refusals).isEmpty();
  }

  @Test
  void aClosedSocketFreesItsPlacesOnce() {
    SocketLimits limits = limits(true);
    SocketLimits.Slot first = limits.admit("p", "10.0.0.1").slot();
    limits.admit("p", "10.0.0.1");
    first.release();
    first.release();
    assertThat(limits.socketsOf("p")).isEqualTo(1);
    assertThat(limits.admit("p", "10.0.0.1").slot()).isNotNull();
    assertThat(limits.admit("p", "10.0.0.1").slot()).isNull();
  }

  @Test
  void theOutgoingQueueOverflowsOnceAtItsByteBoundAndIsGivenBackAsItDrains() {
    SocketLimits limits = limits(true);
    SocketGuard guard = limits.guard(limits.admit("p", "a").slot());
    String frame = "x".repeat(6 * 1024);
    assertThat(guard.reserve(frame)).isEqualTo(SocketGuard.Room.QUEUED);
    assertThat(guard.reserve(frame)).isEqualTo(SocketGuard.Room.QUEUED);
    assertThat(limits.queuedBytes()).isEqualTo(12 * 1024);
    guard.sent(frame);
    assertThat(guard.reserve(frame)).as("drained: room again").isEqualTo(SocketGuard.Room.QUEUED);
    assertThat(guard.reserve(frame)).isEqualTo(SocketGuard.Room.OVERFLOW);
    assertThat(guard.reserve("{}")).as("after an overflow nothing more").isEqualTo(SocketGuard.Room.DROPPED);
    assertThat(refusals).containsExactly(SocketLimits.OUTGOING_BYTES);
    guard.closed();
    assertThat(limits.queuedBytes()).as("a closed socket holds nothing").isZero();
    assertThat(limits.socketsOf("p")).isZero();
    guard.sent(frame);
    assertThat(limits.queuedBytes()).as("late drains after the close do not count").isZero();
  }

  @Test
  void aSocketMayWatchUpToItsLimit() {
    SocketLimits limits = limits(true);
    SocketGuard guard = limits.guard(limits.admit("p", "a").slot());
    assertThat(guard.mayWatchAnother(1)).isTrue();
    assertThat(guard.mayWatchAnother(2)).isFalse();
    assertThat(refusals).containsExactly(SocketLimits.WATCHED_GAMES);
  }

  @Test
  void framesNamingAGameIdArenaCannotHaveIssuedAreNotFound() throws Exception {
    String issued = GameIds.newId();
    List<String> forged = List.of("x", "../../etc", issued.toUpperCase(), issued + "0", "00000000-0000-0000-0000-000000000000");
    for (String id : forged) {
      for (ClientFrame frame : List.of(new ClientFrame.Join("r", id), new ClientFrame.Move("r", id, Map.of("cell", 1)),
          new ClientFrame.Resign("r", id), new ClientFrame.Leave("r", id), new ClientFrame.Subscribe("r", id),
          new ClientFrame.Unsubscribe("r", id))) {
        assertThatThrownBy(() -> ForgedGameIds.refuse(frame)).isInstanceOf(ProtocolException.class)
            .extracting(e -> ((ProtocolException) e).code()).isEqualTo(arena.ErrorCode.NOT_FOUND);
      }
    }
    ClientFrame ok = new ClientFrame.Subscribe("r", issued);
    assertThat(ForgedGameIds.refuse(ok)).isSameAs(ok);
    ClientFrame ping = new ClientFrame.Ping("r");
    assertThat(ForgedGameIds.refuse(ping)).isSameAs(ping);
  }

  @Test
  void theDefaultsReadAndOffSwitchesPerAddressLimitsOff() {
    var defaults = SocketLimits.Settings.fromConfig(ConfigFactory.load());
    assertThat(defaults.perAddress()).isTrue();
    assertThat(defaults.outgoingBufferBytes()).isEqualTo(256 * 1024);
    var off = SocketLimits.Settings.fromConfig(ConfigFactory.parseString("arena.gateway.ws.per-address-limits = off")
        .withFallback(ConfigFactory.load()));
    assertThat(off.perAddress()).isFalse();
  }
}
