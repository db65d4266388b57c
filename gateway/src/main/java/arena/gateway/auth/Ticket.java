package arena.gateway.auth;

import java.time.Instant;

/**
 * A verified WebSocket ticket (ARENA-SPEC §3, §4): good for one upgrade by {@code player} until
 * {@code expiresAt}; {@code nonce} names it for the cluster-wide single-use check
 * ({@link TicketLedger}).
 */
public record Ticket(String nonce, Player player, Instant expiresAt) {}
