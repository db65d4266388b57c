package arena.gateway.auth;

/** An authenticated player, as a verified token names them. */
public record Player(String playerId, String name) {}
