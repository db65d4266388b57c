/*
 * Arena web client: plain ES2020, no build step, no dependencies.
 * It speaks the HTTP API, the WebSocket protocol and the game state of ARENA-SPEC.md §3-§5.
 *
 * Test hooks (stable ids and data attributes for headless-browser tests):
 *   body[data-screen]        "name" | "lobby" | "game" (the screen shown)
 *   body[data-connection]    same values as #connection-status[data-state]
 *   #name-screen, #lobby-screen, #game-screen   the screens; the shown one has no [hidden]
 *   Name prompt    #name-input, #name-submit, #name-error (validation or server message)
 *   Header         #player-name, #logout ("Change name"),
 *                  #connection-status: text "connected" | "connecting…" | "reconnecting…";
 *                  [data-state] "connected" | "connecting" | "reconnecting" | "offline"
 *   Error banner   #error-banner ([hidden] when dismissed), #error-code (e.g. "not_your_turn"),
 *                  #error-message, #error-dismiss
 *   Lobby          #open-games (tbody), one row [data-open-game-row="<gameId>"] per open game,
 *                  [data-join-game="<gameId>"] Join buttons (games you are not seated in),
 *                  [data-open-game="<gameId>"] Open buttons (games you are seated in),
 *                  #open-games-empty, #lobby-note (load errors),
 *                  #create-game (select), #create-visibility (select), #create-turn-seconds,
 *                  #create-submit,
 *                  [data-quickmatch="<game>"] Quick match buttons, #quickmatch-status,
 *                  #quickmatch-cancel,
 *                  #watch-input, #watch-submit (open a game by id or link),
 *                  #my-games (tbody): the caller's games, one row [data-my-game-row="<gameId>"]
 *                  ([data-status] waiting | active | finished | aborted) with a button
 *                  [data-my-game="<gameId>"] ("Open", or "Replay" once it ended), #my-games-empty,
 *                  #active-games (tbody): public games being played, rows
 *                  [data-active-game-row="<gameId>"], buttons [data-watch-game="<gameId>"] ("Watch"
 *                  or "Open" when seated), #active-games-empty,
 *                  #leaderboard-game (select), #leaderboard (tbody),
 *                  [data-leaderboard-player="<playerId>"] rows, #leaderboard-empty
 *   Game           #game-id (text: the id), #game-link (a, href "/#game=<id>"), #copy-link,
 *                  #game-type, #game-settings,
 *                  #game-status (text: "waiting" | "active" | "finished" | "aborted" | "loading"),
 *                  #game-result (text: "win — seat 0 (line)", "draw (board_full)",
 *                  "aborted (expired)", or empty while the game runs; its row #result-fact is
 *                  [hidden] while empty), #game-result-detail ("You win!", "You lose.", …),
 *                  #turn-indicator (text "Your turn" | "<name> to move" | "Waiting for players" |
 *                  "Game over" | "Game aborted"; [data-mine] "true" when it is your turn),
 *                  #countdown (m:ss to turnDeadline; it and its row #clock-fact are [hidden]
 *                  unless active),
 *                  #players with one li[data-seat="0".."n"] per seat ([data-turn], [data-me]),
 *                  #spectator-note, #join-button, #resign-button, #leave-button, #lobby-button,
 *                  #move-pending (shown while a move waits for its ack),
 *                  #board ([data-game] = the game type), #event-log (newest first)
 *   tictactoe      [data-cell="0".."8"] buttons; [data-value] "0" | "1" | "" (the seat)
 *   connect4       [data-column="0".."6"] buttons; inside them [data-row="0".."5"] discs with
 *                  [data-value] "0" | "1" | ""; row 0 is drawn at the bottom
 *   checkers       [data-square="1".."32"] buttons; [data-piece] "b" | "B" | "w" | "W" | "";
 *                  [data-selected] = position (1, 2, …) of the square in the path being built;
 *                  #checkers-controls, #checkers-path (text "11 → 15"), #send-move, #clear-move
 *                  (also: Enter or double-click on the last square sends, Escape clears)
 *   Any [data-last-move] marks the squares of the last move.
 *   Replay         (a finished or aborted game) #replay-controls with #replay-start, #replay-back,
 *                  #replay-play, #replay-pause, #replay-forward, #replay-end; #replay-position
 *                  (text "move 2 of 5", [data-index] moves shown, [data-total] moves in the game);
 *                  the board shows the position after [data-index] moves.
 *   Storage        the player (id, name, token) is kept in sessionStorage: every tab is its own
 *                  player, and a tab keeps it across reloads.
 */
'use strict';

const STORAGE_KEY = 'arena.session';
const LOBBY_REFRESH_MS = 2000;
const REPLAY_STEP_MS = 800;
const EVENTS_PAGE = 1000;
const PING_INTERVAL_MS = 20000;
const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 5000;
const CLOCK_TICK_MS = 250;
// A token is refreshed once this share of its lifetime has passed (POST /api/v1/players/me/token).
const REFRESH_AT_SHARE = 0.75;
const REFRESH_RETRY_MS = 30000;
const NAME_PATTERN = /^(?! )[A-Za-z0-9 _-]{1,32}(?<! )$/;

const GAME_LABELS = { tictactoe: 'Tic-tac-toe', connect4: 'Connect Four', checkers: 'Checkers' };
const SEAT_LABELS = {
  tictactoe: ['X', 'O'],
  connect4: ['red', 'yellow'],
  checkers: ['black', 'white'],
};
const DEFAULT_CATALOG = [
  { game: 'tictactoe', seats: 2 },
  { game: 'connect4', seats: 2 },
  { game: 'checkers', seats: 2 },
];

// Moves are idempotent by id (spec §4), so a move still waiting for its ack survives a
// reconnect and is re-sent with the same id; an unanswered quickmatch is simply asked again.
const RESENDABLE = new Set(['move', 'quickmatch']);
// Requests the user did not ask for by hand: losing their answer is not worth a banner.
const SILENT = new Set(['ping', 'subscribe', 'unsubscribe']);

const app = {
  session: null, // {playerId, name, token}
  catalog: DEFAULT_CATALOG,
  lobbyTimer: null,
  lobbyLoading: false,
  lobbyKey: '', // the open-games list last drawn, to skip redraws that change nothing
  listKeys: {}, // the same for 'my' and 'active'
  quickmatch: null, // {game, id, queued}
  game: null, // the game on screen, see newGameView()
  clockTimer: null,
  refreshTimer: null,
};

const conn = {
  ws: null,
  wanted: false, // false after logout: a close is then final
  opened: false, // whether the current socket ever opened
  attempt: 0,
  hint: null, // reconnectAfterMs of the last shutdown frame
  retryTimer: null,
  pingTimer: null,
  pingId: null,
  pending: new Map(), // id -> {frame, sent, resolve, reject}
  generation: 0, // bumped by every connect and disconnect: a ticket fetched for an older one is dropped
};

let idCounter = 0;

// ---------------------------------------------------------------- small helpers

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
const noop = () => {};

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child != null));
  return node;
}

function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  idCounter += 1;
  return `${idCounter.toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function gameLabel(game) {
  return GAME_LABELS[game] || game;
}

function seatsOf(game) {
  return app.catalog.find((entry) => entry.game === game)?.seats ?? 2;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function formatDuration(ms) {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function describeError(err) {
  if (err && err.code) return `${err.code}: ${err.message || ''}`.trim();
  return 'the server cannot be reached';
}

// ---------------------------------------------------------------- session and HTTP

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
    return session && session.token && session.playerId ? session : null;
  } catch {
    return null;
  }
}

function saveSession({ playerId, name, token }) {
  app.session = { playerId, name, token };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(app.session));
}

async function api(path, { method = 'GET', body, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && app.session) headers.Authorization = `Bearer ${app.session.token}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (response.status === 401 && auth) sessionLost();
  if (!response.ok) {
    throw new ApiError(response.status, data?.code || `http_${response.status}`, data?.message || response.statusText);
  }
  return data;
}

function sessionLost() {
  if (!app.session) return;
  forgetSession();
  showNameScreen('Your session has expired — please enter your name again.');
}

// The token's own issue and expiry times (seconds in the JWT payload), in ms; null if unreadable.
function tokenTimes(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return Number.isFinite(payload.iat) && Number.isFinite(payload.exp)
      ? { issued: payload.iat * 1000, expires: payload.exp * 1000 }
      : null;
  } catch {
    return null;
  }
}

// Tokens expire (ARENA_TOKEN_TTL); a fresh one for the same player keeps the session going.
function scheduleRefresh() {
  clearTimeout(app.refreshTimer);
  const times = app.session && tokenTimes(app.session.token);
  if (!times) return;
  const at = times.issued + (times.expires - times.issued) * REFRESH_AT_SHARE;
  app.refreshTimer = setTimeout(refreshToken, Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1));
}

async function refreshToken() {
  if (!app.session) return;
  try {
    saveSession(await api('/api/v1/players/me/token', { method: 'POST' }));
    scheduleRefresh();
  } catch {
    // a refused token ends the session in api(); anything else is tried again
    if (app.session) app.refreshTimer = setTimeout(refreshToken, REFRESH_RETRY_MS);
  }
}

function forgetSession() {
  clearTimeout(app.refreshTimer);
  sessionStorage.removeItem(STORAGE_KEY);
  app.session = null;
  app.quickmatch = null;
  disconnect();
  closeGameView();
  $('#player-name').textContent = '';
  $('#logout').hidden = true;
}

// ---------------------------------------------------------------- WebSocket

function isOpen() {
  return conn.ws !== null && conn.ws.readyState === WebSocket.OPEN;
}

// The socket opens with a single-use ticket (POST /api/v1/ws-ticket), so the long-lived token
// never sits in a URL, where proxies and access logs would keep it. Every attempt needs a new one.
async function connect() {
  conn.wanted = true;
  clearTimeout(conn.retryTimer);
  const generation = ++conn.generation;
  setConnectionStatus(conn.attempt > 0 ? 'reconnecting' : 'connecting');
  let ticket;
  try {
    ticket = (await api('/api/v1/ws-ticket', { method: 'POST' })).ticket;
  } catch {
    // a refused token ends the session in api(); anything else is retried like a dropped socket
    if (generation === conn.generation && conn.wanted && app.session) {
      conn.retryTimer = setTimeout(connect, reconnectDelay());
    }
    return;
  }
  if (generation !== conn.generation || !conn.wanted) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`);
  conn.ws = ws;
  conn.opened = false;
  ws.onopen = () => onSocketOpen(ws);
  ws.onmessage = (event) => {
    if (ws === conn.ws) onFrame(event.data);
  };
  ws.onclose = () => onSocketClose(ws);
}

function disconnect() {
  conn.wanted = false;
  conn.generation += 1;
  clearTimeout(conn.retryTimer);
  stopPing();
  const ws = conn.ws;
  conn.ws = null;
  if (ws) {
    ws.onclose = null;
    ws.close(1000);
  }
  conn.pending.clear();
  conn.attempt = 0;
  setConnectionStatus('offline');
}

function onSocketOpen(ws) {
  if (ws !== conn.ws) return;
  conn.opened = true;
  conn.attempt = 0;
  setConnectionStatus('connected');
  startPing();
  if (app.game) {
    subscribe(app.game.gameId);
    loadHistory(app.game.gameId);
  }
  requeueQuickmatch();
  flushPending();
}

function onSocketClose(ws) {
  if (ws !== conn.ws) return;
  conn.ws = null;
  stopPing();
  settlePendingOnClose();
  if (!conn.wanted) return;
  setConnectionStatus('reconnecting');
  // The browser hides why an upgrade failed; a refused token (401) shows only over HTTP.
  if (!conn.opened) api('/api/v1/games?status=open&limit=1').catch(noop);
  conn.retryTimer = setTimeout(connect, reconnectDelay());
}

// Drops a socket that stopped answering without waiting for a closing handshake.
function dropSocket() {
  const ws = conn.ws;
  if (!ws) return;
  ws.onclose = null;
  ws.close(4000, 'no pong');
  onSocketClose(ws);
}

function reconnectDelay() {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** conn.attempt);
  conn.attempt += 1;
  if (conn.hint !== null) {
    const hinted = conn.hint;
    conn.hint = null;
    return hinted + Math.random() * 250;
  }
  // ±20% jitter keeps a crowd of clients from coming back in the same instant.
  return Math.min(BACKOFF_MAX_MS, base * (0.8 + Math.random() * 0.4));
}

function startPing() {
  stopPing();
  conn.pingTimer = setInterval(sendPing, PING_INTERVAL_MS);
}

function stopPing() {
  clearInterval(conn.pingTimer);
  conn.pingTimer = null;
  conn.pingId = null;
}

function sendPing() {
  if (conn.pingId && conn.pending.has(conn.pingId)) {
    dropSocket(); // no pong for a whole interval: the link is dead
    return;
  }
  const frame = { type: 'ping', id: newId() };
  conn.pingId = frame.id;
  request(frame).catch(noop);
}

function request(fields) {
  const frame = { id: newId(), ...fields };
  return new Promise((resolve, reject) => {
    const entry = { frame, sent: false, resolve, reject };
    conn.pending.set(frame.id, entry);
    trySend(entry);
  });
}

function trySend(entry) {
  if (!isOpen()) return;
  conn.ws.send(JSON.stringify(entry.frame));
  entry.sent = true;
}

function flushPending() {
  for (const entry of conn.pending.values()) {
    if (!entry.sent) trySend(entry);
  }
}

function settlePendingOnClose() {
  for (const [id, entry] of conn.pending) {
    if (!entry.sent) continue;
    if (RESENDABLE.has(entry.frame.type)) {
      entry.sent = false;
      continue;
    }
    conn.pending.delete(id);
    const silent = SILENT.has(entry.frame.type);
    if (!silent) {
      showError('connection_lost', `The connection dropped before the server answered "${entry.frame.type}"; please try again.`);
    }
    entry.reject({ code: 'connection_lost', silent });
  }
}

function onFrame(text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    return;
  }
  if (!msg || typeof msg !== 'object') return;
  settleRequest(msg);
  const handler = FRAME_HANDLERS[msg.type];
  if (handler) handler(msg);
}

function settleRequest(msg) {
  if (typeof msg.re !== 'string') return;
  const entry = conn.pending.get(msg.re);
  if (!entry) return;
  conn.pending.delete(msg.re);
  if (msg.type === 'error') entry.reject(msg);
  else entry.resolve(msg);
}

const FRAME_HANDLERS = {
  shutdown: (msg) => {
    conn.hint = Number.isFinite(msg.reconnectAfterMs) ? Math.max(0, msg.reconnectAfterMs) : null;
  },
  error: (msg) => {
    if (msg.code === 'unauthorized') sessionLost();
    else showError(msg.code, msg.message);
  },
  created: (msg) => showGame(msg.gameId, { subscribed: true }),
  joined: (msg) => showGame(msg.gameId, { subscribed: true }),
  matched: (msg) => {
    app.quickmatch = null;
    renderQuickmatch();
    showGame(msg.gameId, { subscribed: true });
  },
  state: (msg) => onGameFrame(msg.gameId ?? msg.state?.gameId, msg.state?.seq, null, msg.state),
  event: (msg) => onGameFrame(msg.gameId, msg.seq, msg.event, msg.state),
};

function setConnectionStatus(state) {
  const node = $('#connection-status');
  node.dataset.state = state;
  document.body.dataset.connection = state;
  node.textContent = { connected: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…' }[state] || '';
}

// ---------------------------------------------------------------- errors

function showError(code, message) {
  $('#error-code').textContent = code || 'error';
  $('#error-message').textContent = message || '';
  $('#error-banner').hidden = false;
}

function hideError() {
  $('#error-banner').hidden = true;
}

// ---------------------------------------------------------------- screens and routing

function showScreen(name) {
  for (const screen of ['name', 'lobby', 'game']) $(`#${screen}-screen`).hidden = screen !== name;
  document.body.dataset.screen = name;
  if (name === 'lobby') startLobby();
  else stopLobby();
  if (name === 'game') startClock();
  else stopClock();
  updateTitle();
}

function gameIdFromHash() {
  const match = /^#game=(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function route() {
  const gameId = gameIdFromHash();
  if (gameId) showGame(gameId);
  else showLobby();
}

function onHashChange() {
  if (!app.session) return;
  const gameId = gameIdFromHash();
  if (gameId && gameId !== app.game?.gameId) showGame(gameId);
  else if (!gameId && app.game) showLobby();
}

function start() {
  $('#player-name').textContent = app.session.name;
  $('#logout').hidden = false;
  scheduleRefresh();
  connect();
  loadCatalog();
  route();
}

// ---------------------------------------------------------------- name prompt

function showNameScreen(notice = '') {
  showScreen('name');
  $('#name-error').textContent = notice;
  $('#name-input').focus();
}

async function onNameSubmit(event) {
  event.preventDefault();
  const name = $('#name-input').value.trim();
  if (!NAME_PATTERN.test(name)) {
    $('#name-error').textContent = 'A name is 1-32 letters, digits, spaces, _ or -.';
    return;
  }
  $('#name-submit').disabled = true;
  try {
    saveSession(await api('/api/v1/players', { method: 'POST', body: { name }, auth: false }));
    $('#name-error').textContent = '';
    start();
  } catch (err) {
    $('#name-error').textContent = describeError(err);
  } finally {
    $('#name-submit').disabled = false;
  }
}

function onLogout() {
  forgetSession();
  showNameScreen();
}

// ---------------------------------------------------------------- lobby

function showLobby() {
  closeGameView();
  if (location.hash) history.pushState(null, '', location.pathname + location.search);
  showScreen('lobby');
}

function startLobby() {
  if (app.lobbyTimer) return;
  app.lobbyKey = '';
  app.listKeys = {};
  refreshLists();
  refreshLeaderboard();
  renderQuickmatch();
  app.lobbyTimer = setInterval(refreshLists, LOBBY_REFRESH_MS);
}

function stopLobby() {
  clearInterval(app.lobbyTimer);
  app.lobbyTimer = null;
}

async function loadCatalog() {
  try {
    const catalog = await api('/api/v1/games/catalog', { auth: false });
    if (Array.isArray(catalog) && catalog.length > 0) app.catalog = catalog;
  } catch {
    // The built-in list stands in until the server answers.
  }
  renderCatalog();
}

function renderCatalog() {
  fillGameSelect($('#create-game'));
  fillGameSelect($('#leaderboard-game'));
  $('#quickmatch-buttons').replaceChildren(...app.catalog.map(({ game }) =>
    h('button', { type: 'button', 'data-quickmatch': game, onclick: () => startQuickmatch(game) }, gameLabel(game))));
  renderQuickmatch();
}

function fillGameSelect(select) {
  const chosen = select.value;
  select.replaceChildren(...app.catalog.map(({ game }) => h('option', { value: game }, gameLabel(game))));
  if (app.catalog.some(({ game }) => game === chosen)) select.value = chosen;
}

// Polled while the lobby is on screen and the tab is visible (a hidden tab catches up when shown).
function refreshLists() {
  if (document.hidden) return;
  refreshOpenGames();
  refreshGameList('my', '/api/v1/players/me/games', myGameRow);
  refreshGameList('active', '/api/v1/games?status=active', activeGameRow);
}

async function refreshGameList(list, path, row) {
  const flag = `${list}Loading`;
  if (app[flag] || !app.session) return;
  app[flag] = true;
  try {
    const games = await api(path);
    if (app.lobbyTimer) renderGameList(list, Array.isArray(games) ? games : [], row);
  } catch (err) {
    if (err.status !== 401) $('#lobby-note').textContent = `Could not load the games (${describeError(err)}).`;
  } finally {
    app[flag] = false;
  }
}

function renderGameList(list, games, row) {
  const key = JSON.stringify(games);
  if (key === app.listKeys[list]) return;
  app.listKeys[list] = key;
  $(`#${list}-games`).replaceChildren(...games.map(row));
  $(`#${list}-games-empty`).hidden = games.length > 0;
}

function playersText(game) {
  const players = game.players || [];
  return `${players.map((p) => p.name).join(', ')} (${players.length}/${seatsOf(game.game)})`;
}

function myGameRow(game) {
  const ended = game.status === 'finished' || game.status === 'aborted';
  let status = game.status;
  if (game.result?.outcome === 'win') status = game.result.winnerSeat === seatOf(game) ? 'won' : 'lost';
  else if (game.result) status = game.result.outcome;
  return h('tr', { 'data-my-game-row': game.gameId, 'data-status': game.status },
    h('td', {}, gameLabel(game.game)),
    h('td', {}, playersText(game)),
    h('td', {}, h('span', { class: 'status-pill', 'data-status': game.status }, status)),
    h('td', {}, formatTime(game.createdAt)),
    h('td', { class: 'num' }, h('button', {
      type: 'button', class: ended ? null : 'primary', 'data-my-game': game.gameId,
      onclick: () => showGame(game.gameId, { replay: ended }),
    }, ended ? 'Replay' : 'Open')));
}

function activeGameRow(game) {
  const seated = seatOf(game) !== null;
  return h('tr', { 'data-active-game-row': game.gameId },
    h('td', {}, gameLabel(game.game)),
    h('td', {}, playersText(game)),
    h('td', {}, `${game.turnSeconds} s`),
    h('td', {}, formatTime(game.createdAt)),
    h('td', { class: 'num' }, h('button', { type: 'button', 'data-watch-game': game.gameId, onclick: () => showGame(game.gameId) },
      seated ? 'Open' : 'Watch')));
}

function seatOf(game) {
  return (game.players || []).find((p) => p.playerId === app.session?.playerId)?.seat ?? null;
}

async function refreshOpenGames() {
  if (app.lobbyLoading || !app.session) return;
  app.lobbyLoading = true;
  try {
    const games = await api('/api/v1/games?status=open');
    if (app.lobbyTimer) renderOpenGames(Array.isArray(games) ? games : []);
    $('#lobby-note').textContent = '';
  } catch (err) {
    if (err.status !== 401) $('#lobby-note').textContent = `Could not load open games (${describeError(err)}).`;
  } finally {
    app.lobbyLoading = false;
  }
}

function renderOpenGames(games) {
  const key = JSON.stringify(games);
  if (key === app.lobbyKey) return;
  app.lobbyKey = key;
  $('#open-games').replaceChildren(...games.map(openGameRow));
  $('#open-games-empty').hidden = games.length > 0;
}

function openGameRow(game) {
  const players = game.players || [];
  const seated = players.some((p) => p.playerId === app.session.playerId);
  const action = seated
    ? h('button', { type: 'button', 'data-open-game': game.gameId, onclick: () => showGame(game.gameId) }, 'Open')
    : h('button', { type: 'button', class: 'primary', 'data-join-game': game.gameId, onclick: (e) => joinGame(game.gameId, e.currentTarget) }, 'Join');
  return h('tr', { 'data-open-game-row': game.gameId },
    h('td', {}, gameLabel(game.game)),
    h('td', {}, `${players.map((p) => p.name).join(', ')} (${players.length}/${seatsOf(game.game)})`),
    h('td', {}, `${game.turnSeconds} s`),
    h('td', {}, formatTime(game.createdAt)),
    h('td', { class: 'num' }, action));
}

function joinGame(gameId, button) {
  if (button) button.disabled = true;
  // The `joined` answer opens the game screen (FRAME_HANDLERS); an error leaves us here.
  request({ type: 'join', gameId }).catch(() => {
    if (button) button.disabled = false;
  });
}

function onCreateSubmit(event) {
  event.preventDefault();
  const turnSeconds = Number($('#create-turn-seconds').value);
  if (!Number.isInteger(turnSeconds) || turnSeconds < 5 || turnSeconds > 3600) {
    showError('bad_request', 'Seconds per turn must be a whole number from 5 to 3600.');
    return;
  }
  const game = $('#create-game').value;
  const visibility = $('#create-visibility').value;
  request({ type: 'create', game, visibility, turnSeconds }).catch(noop);
}

function onWatchSubmit(event) {
  event.preventDefault();
  const text = $('#watch-input').value.trim();
  const gameId = (/#game=(.+)$/.exec(text)?.[1] ?? text).trim();
  if (!gameId) return;
  $('#watch-input').value = '';
  showGame(decodeURIComponent(gameId));
}

// ---------------------------------------------------------------- quick match

function startQuickmatch(game) {
  if (app.quickmatch) return;
  app.quickmatch = { game, id: null, queued: false };
  sendQuickmatch(app.quickmatch);
  renderQuickmatch();
}

function sendQuickmatch(qm) {
  qm.id = newId();
  qm.queued = false;
  request({ type: 'quickmatch', id: qm.id, game: qm.game })
    .then(() => {
      qm.queued = true;
      renderQuickmatch();
    })
    .catch(() => {
      if (app.quickmatch === qm) app.quickmatch = null;
      renderQuickmatch();
    });
}

// After a reconnect the new node does not know we were queued: queue again.
function requeueQuickmatch() {
  const qm = app.quickmatch;
  if (qm && !conn.pending.has(qm.id)) sendQuickmatch(qm);
}

function cancelQuickmatch() {
  const qm = app.quickmatch;
  if (!qm) return;
  app.quickmatch = null;
  renderQuickmatch();
  const entry = conn.pending.get(qm.id);
  if (entry && !entry.sent) {
    conn.pending.delete(qm.id); // never reached the server: nothing to cancel
    return;
  }
  request({ type: 'cancel_quickmatch', game: qm.game }).catch(noop);
}

function renderQuickmatch() {
  const qm = app.quickmatch;
  for (const button of $$('[data-quickmatch]')) button.disabled = qm !== null;
  $('#quickmatch-cancel').hidden = qm === null;
  $('#quickmatch-status').textContent = qm
    ? `${qm.queued ? 'Looking' : 'Asking'} for a ${gameLabel(qm.game)} opponent…`
    : 'Play the next player who is looking for the same game.';
}

// ---------------------------------------------------------------- leaderboard

async function refreshLeaderboard() {
  const game = $('#leaderboard-game').value;
  try {
    const rows = await api(`/api/v1/leaderboard?game=${encodeURIComponent(game)}`);
    if ($('#leaderboard-game').value === game) renderLeaderboard(Array.isArray(rows) ? rows : []);
  } catch (err) {
    if (err.status !== 401) $('#lobby-note').textContent = `Could not load the leaderboard (${describeError(err)}).`;
  }
}

function renderLeaderboard(rows) {
  $('#leaderboard').replaceChildren(...rows.map((row, index) =>
    h('tr', { 'data-leaderboard-player': row.playerId, class: row.playerId === app.session?.playerId ? 'me' : null },
      h('td', {}, String(index + 1)),
      h('td', {}, row.name),
      h('td', { class: 'num' }, Number(row.rating).toFixed(1)),
      h('td', { class: 'num' }, String(row.wins)),
      h('td', { class: 'num' }, String(row.losses)),
      h('td', { class: 'num' }, String(row.draws)))));
  $('#leaderboard-empty').hidden = rows.length > 0;
}

// ---------------------------------------------------------------- game view

function newGameView(gameId) {
  return {
    gameId,
    seq: 0, // seq of the state on screen
    state: null,
    log: new Map(), // seq -> event
    lastMove: null, // {seq, move}
    abortReason: null,
    selection: [], // checkers path being built
    pendingMoves: 0,
    historyLoading: false,
    historyTries: 0, // fetches a replay asked for to fill gaps in the log
    openAsReplay: false, // opened from "Replay": the replay starts at the first position
    replay: null, // {index, total, frames, timer} once the game has ended and its events are in
  };
}

function showGame(gameId, { subscribed = false, replay = false } = {}) {
  if (app.game?.gameId !== gameId) {
    closeGameView();
    app.game = newGameView(gameId);
    app.game.openAsReplay = replay;
    if (!subscribed) subscribe(gameId);
    loadHistory(gameId);
    renderGame();
  }
  if (gameIdFromHash() !== gameId) location.hash = `game=${encodeURIComponent(gameId)}`;
  showScreen('game');
}

function closeGameView() {
  if (!app.game) return;
  stopReplay(app.game);
  if (isOpen()) request({ type: 'unsubscribe', gameId: app.game.gameId }).catch(noop);
  app.game = null;
  const board = $('#board');
  board.replaceChildren();
  delete board.dataset.game;
  $('#event-log').replaceChildren();
}

// Not queued while offline: onSocketOpen subscribes to the game on screen anyway.
function subscribe(gameId) {
  if (!isOpen()) return;
  request({ type: 'subscribe', gameId }).catch((err) => {
    if (err.code === 'not_found' && app.game?.gameId === gameId) showLobby();
  });
}

// Every stored event, page by page (afterSeq, limit): the log, and the moves a replay steps through.
async function loadHistory(gameId) {
  const view = app.game;
  if (view?.gameId !== gameId || view.historyLoading) return;
  view.historyLoading = true;
  try {
    let after = 0;
    while (app.game === view) {
      const events = await api(`/api/v1/games/${encodeURIComponent(gameId)}/events?afterSeq=${after}&limit=${EVENTS_PAGE}`);
      if (app.game !== view || !Array.isArray(events)) return;
      for (const { seq, event } of events) noteEvent(view, seq, event);
      if (events.length < EVENTS_PAGE) break;
      after = events[events.length - 1].seq;
    }
    view.historyLoading = false;
    renderLog();
    if (view.state) renderGame();
  } catch {
    // The log is a nicety; the board comes from the socket.
  } finally {
    view.historyLoading = false;
  }
}

function onGameFrame(gameId, seq, event, state) {
  const view = app.game;
  if (!view || gameId !== view.gameId || !Number.isFinite(seq) || seq <= view.seq) return;
  if (event) noteEvent(view, seq, event);
  if (state) {
    view.seq = seq;
    view.state = state;
    keepValidSelection(view);
    renderGame();
  }
  renderLog();
}

function noteEvent(view, seq, event) {
  if (!event || view.log.has(seq)) return;
  view.log.set(seq, event);
  if (event.kind === 'moved' && (!view.lastMove || seq > view.lastMove.seq)) view.lastMove = { seq, move: event.move };
  if (event.kind === 'game_aborted') view.abortReason = event.reason;
}

function mySeat(state) {
  const me = state.players?.find((p) => p.playerId === app.session?.playerId);
  return me ? me.seat : null;
}

function playerName(state, seat) {
  return state.players?.find((p) => p.seat === seat)?.name ?? `seat ${seat}`;
}

function renderGame() {
  const view = app.game;
  if (!view) return;
  renderGameLink(view.gameId);
  const state = view.state;
  if (!state) {
    renderLoading();
    return;
  }
  $('#game-type').textContent = gameLabel(state.game);
  $('#game-status').textContent = state.status;
  $('#game-settings').textContent = `${state.visibility}, ${state.turnSeconds} s per turn`;
  renderResult(state, view);
  renderPlayers(state);
  renderTurn(state);
  renderActions(state);
  renderBoard(state, view);
  renderReplay(view);
  renderPending();
  renderCountdown();
  updateTitle();
}

function renderLoading() {
  $('#game-status').textContent = 'loading';
  $('#turn-indicator').textContent = 'Loading…';
  $('#turn-indicator').dataset.mine = 'false';
  document.body.classList.remove('my-turn');
  for (const id of ['#game-type', '#game-settings', '#game-result', '#game-result-detail']) $(id).textContent = '';
  $('#players').replaceChildren();
  for (const id of ['#join-button', '#resign-button', '#leave-button', '#checkers-controls', '#spectator-note', '#result-fact']) {
    $(id).hidden = true;
  }
  renderCountdown();
}

function renderGameLink(gameId) {
  const link = `${location.origin}/#game=${encodeURIComponent(gameId)}`;
  $('#game-id').textContent = gameId;
  $('#game-link').href = link;
  $('#game-link').textContent = link;
}

function resultText(state, view) {
  const result = state.result;
  if (result && result.outcome === 'win') return `win — seat ${result.winnerSeat} (${result.reason})`;
  if (result) return `${result.outcome} (${result.reason})`;
  if (state.status === 'aborted') return view.abortReason ? `aborted (${view.abortReason})` : 'aborted';
  return '';
}

function resultDetail(state) {
  const result = state.result;
  if (!result) return '';
  if (result.outcome !== 'win') return 'Nobody wins.';
  if (result.winnerSeat === mySeat(state)) return 'You win!';
  return mySeat(state) === null ? `${playerName(state, result.winnerSeat)} wins.` : 'You lose.';
}

function renderResult(state, view) {
  const text = resultText(state, view);
  $('#game-result').textContent = text;
  $('#game-result-detail').textContent = resultDetail(state);
  $('#result-fact').hidden = text === '';
}

function renderPlayers(state) {
  const me = mySeat(state);
  const labels = SEAT_LABELS[state.game] || [];
  const items = [];
  for (let seat = 0; seat < seatsOf(state.game); seat += 1) {
    const player = state.players?.find((p) => p.seat === seat);
    const onTurn = state.status === 'active' && state.turn === seat;
    items.push(h('li', { 'data-seat': seat, 'data-turn': onTurn ? 'true' : null, 'data-me': seat === me ? 'true' : null },
      h('span', { class: `mark seat-${seat} game-${state.game}` }, labels[seat] ?? ''),
      h('span', { class: 'seat' }, `Seat ${seat}`),
      h('span', { class: player ? 'name' : 'name muted' }, player ? player.name + (seat === me ? ' (you)' : '') : 'open')));
  }
  $('#players').replaceChildren(...items);
  $('#spectator-note').hidden = me !== null;
}

function renderTurn(state) {
  const mine = state.status === 'active' && state.turn === mySeat(state);
  const texts = { waiting: 'Waiting for players', finished: 'Game over', aborted: 'Game aborted' };
  const indicator = $('#turn-indicator');
  indicator.textContent = state.status === 'active'
    ? (mine ? 'Your turn' : `${playerName(state, state.turn)} to move`)
    : texts[state.status] || state.status;
  indicator.dataset.mine = String(mine);
  document.body.classList.toggle('my-turn', mine);
}

function renderActions(state) {
  const seated = mySeat(state) !== null;
  const free = (state.players?.length ?? 0) < seatsOf(state.game);
  $('#join-button').hidden = !(state.status === 'waiting' && !seated && free);
  $('#resign-button').hidden = !(seated && state.status === 'active');
  $('#leave-button').hidden = !(seated && (state.status === 'waiting' || state.status === 'active'));
  $('#leave-button').textContent = state.status === 'active' ? 'Leave (resigns)' : 'Leave';
}

function renderPending() {
  $('#move-pending').hidden = !app.game || app.game.pendingMoves === 0;
}

function updateTitle() {
  const mine = document.body.dataset.screen === 'game' && document.body.classList.contains('my-turn');
  document.title = mine ? '● Your turn — Arena' : 'Arena';
}

// ---------------------------------------------------------------- clock

function startClock() {
  if (!app.clockTimer) app.clockTimer = setInterval(renderCountdown, CLOCK_TICK_MS);
}

function stopClock() {
  clearInterval(app.clockTimer);
  app.clockTimer = null;
}

function renderCountdown() {
  const countdown = $('#countdown');
  const state = app.game?.state;
  const deadline = state?.status === 'active' && state.turnDeadline ? Date.parse(state.turnDeadline) : NaN;
  countdown.hidden = Number.isNaN(deadline);
  $('#clock-fact').hidden = countdown.hidden;
  if (countdown.hidden) return;
  const left = Math.max(0, deadline - Date.now());
  countdown.textContent = formatDuration(left);
  countdown.classList.toggle('urgent', left < 10000);
}

// ---------------------------------------------------------------- game actions

function sendMove(move) {
  const view = app.game;
  if (!view?.state || mySeat(view.state) === null) return; // spectators only watch
  view.pendingMoves += 1;
  renderPending();
  request({ type: 'move', gameId: view.gameId, move })
    .catch(noop)
    .finally(() => {
      view.pendingMoves -= 1;
      if (view === app.game) renderPending();
    });
}

function onJoinClick() {
  if (app.game) joinGame(app.game.gameId, null);
}

function onResignClick() {
  if (app.game) request({ type: 'resign', gameId: app.game.gameId }).catch(noop);
}

function onLeaveClick() {
  const view = app.game;
  if (!view) return;
  // Before the start the answer is `left` and the game is gone for us; after it, leaving is
  // a resignation (`ack`) and the result stays on screen.
  request({ type: 'leave', gameId: view.gameId })
    .then((answer) => {
      if (answer.type === 'left' && app.game === view) showLobby();
    })
    .catch(noop);
}

async function onCopyLink() {
  const link = $('#game-link').href;
  try {
    await navigator.clipboard.writeText(link);
  } catch {
    const scratch = h('textarea', { class: 'offscreen' }, link); // clipboard API needs https
    document.body.append(scratch);
    scratch.select();
    document.execCommand('copy');
    scratch.remove();
  }
  $('#copy-link').textContent = 'Copied';
  setTimeout(() => { $('#copy-link').textContent = 'Copy'; }, 1500);
}

// ---------------------------------------------------------------- boards

const BOARDS = {
  tictactoe: { build: buildTicTacToe, paint: paintTicTacToe },
  connect4: { build: buildConnect4, paint: paintConnect4 },
  checkers: { build: buildCheckers, paint: paintCheckers },
};

function renderBoard(state, view) {
  const board = $('#board');
  const kind = BOARDS[state.game];
  if (board.dataset.game !== state.game) {
    board.replaceChildren();
    board.dataset.game = state.game;
    if (kind) kind.build(board);
  }
  if (kind) kind.paint(board, state, view);
  else board.replaceChildren(h('pre', {}, JSON.stringify(state.board, null, 1)));
  board.classList.toggle('playable', state.status === 'active' && mySeat(state) !== null);
  $('#checkers-controls').hidden = state.game !== 'checkers' || mySeat(state) === null;
}

function setValue(node, value) {
  node.dataset.value = value == null ? '' : String(value);
}

function markLast(node, isLast) {
  if (isLast) node.dataset.lastMove = 'true';
  else delete node.dataset.lastMove;
}

function buildTicTacToe(board) {
  for (let cell = 0; cell < 9; cell += 1) {
    board.append(h('button', { type: 'button', class: 'ttt-cell', 'data-cell': cell, 'aria-label': `cell ${cell}` }));
  }
}

function paintTicTacToe(board, state, view) {
  const cells = state.board || [];
  for (const node of $$('[data-cell]', board)) {
    const cell = Number(node.dataset.cell);
    const value = cells[cell] ?? null;
    setValue(node, value);
    node.textContent = SEAT_LABELS.tictactoe[value] ?? '';
    markLast(node, view.lastMove?.move?.cell === cell);
  }
}

function buildConnect4(board) {
  for (let column = 0; column < 7; column += 1) {
    const discs = [];
    for (let row = 5; row >= 0; row -= 1) discs.push(h('span', { class: 'disc', 'data-row': row }));
    board.append(h('button', { type: 'button', class: 'c4-column', 'data-column': column, 'aria-label': `column ${column}` }, ...discs));
  }
}

function paintConnect4(board, state, view) {
  const rows = state.board || [];
  const lastColumn = view.lastMove?.move?.column;
  for (const columnNode of $$('[data-column]', board)) {
    const column = Number(columnNode.dataset.column);
    const top = topFilledRow(rows, column);
    for (const disc of $$('[data-row]', columnNode)) {
      const row = Number(disc.dataset.row);
      setValue(disc, rows[row]?.[column] ?? null);
      markLast(disc, column === lastColumn && row === top);
    }
  }
}

function topFilledRow(rows, column) {
  for (let row = rows.length - 1; row >= 0; row -= 1) {
    if (rows[row]?.[column] != null) return row;
  }
  return -1;
}

// Standard numbering: row r holds squares 4r+1..4r+4, on odd columns in even rows and on
// even columns in odd rows, so the dark squares are those where row + column is odd.
function squareAt(row, column) {
  return (row + column) % 2 === 1 ? row * 4 + Math.floor(column / 2) + 1 : null;
}

function buildCheckers(board) {
  for (let row = 0; row < 8; row += 1) {
    for (let column = 0; column < 8; column += 1) {
      const square = squareAt(row, column);
      board.append(square === null
        ? h('div', { class: 'light' })
        : h('button', { type: 'button', class: 'dark', 'data-square': square, 'aria-label': `square ${square}` }));
    }
  }
}

function paintCheckers(board, state, view) {
  const squares = state.board || [];
  const path = view.lastMove?.move?.path || [];
  for (const node of $$('[data-square]', board)) {
    const square = Number(node.dataset.square);
    const piece = squares[square - 1] ?? null;
    node.dataset.piece = piece ?? '';
    node.replaceChildren(piece ? h('span', { class: `piece piece-${piece.toLowerCase()}` }, piece === piece.toUpperCase() ? '♛' : '') : '');
    markLast(node, path.includes(square));
  }
  paintSelection();
}

// ---------------------------------------------------------------- board input

function onBoardClick(event) {
  const target = event.target.closest('[data-cell], [data-column], [data-square]');
  if (!target || !app.game?.state) return;
  if (target.dataset.cell !== undefined) sendMove({ cell: Number(target.dataset.cell) });
  else if (target.dataset.column !== undefined) sendMove({ column: Number(target.dataset.column) });
  else selectSquare(Number(target.dataset.square));
}

function onBoardDoubleClick(event) {
  const target = event.target.closest('[data-square]');
  const selection = app.game?.selection ?? [];
  if (target && Number(target.dataset.square) === selection[selection.length - 1]) sendCheckersMove();
}

function onKeyDown(event) {
  const view = app.game;
  if (document.body.dataset.screen !== 'game' || view?.state?.game !== 'checkers') return;
  if (event.target.matches?.('input, select, textarea')) return;
  if (event.key === 'Enter' && view.selection.length >= 2) {
    event.preventDefault(); // otherwise Enter would also click the focused square
    sendCheckersMove();
  } else if (event.key === 'Escape') {
    clearSelection();
  }
}

function ownsPiece(seat, piece) {
  return piece != null && piece.toLowerCase() === (seat === 0 ? 'b' : 'w');
}

function selectSquare(square) {
  const view = app.game;
  const seat = mySeat(view.state);
  if (seat === null) return;
  const selection = view.selection;
  const own = ownsPiece(seat, view.state.board?.[square - 1]);
  if (selection.length === 0) {
    if (own) view.selection = [square];
  } else if (square === selection[selection.length - 1]) {
    return;
  } else if (own && square !== selection[0]) {
    view.selection = [square]; // another of our pieces: start over from it
  } else {
    view.selection = [...selection, square]; // the origin too: a king may jump round to it
  }
  paintSelection();
}

function keepValidSelection(view) {
  const seat = mySeat(view.state);
  if (view.selection.length > 0 && !ownsPiece(seat, view.state.board?.[view.selection[0] - 1])) view.selection = [];
}

function clearSelection() {
  if (!app.game) return;
  app.game.selection = [];
  paintSelection();
}

function sendCheckersMove() {
  const view = app.game;
  if (!view || view.selection.length < 2) return;
  const path = view.selection;
  view.selection = [];
  paintSelection();
  sendMove({ path });
}

function paintSelection() {
  const selection = app.game?.selection ?? [];
  for (const node of $$('[data-square]')) {
    const index = selection.indexOf(Number(node.dataset.square));
    if (index >= 0) node.dataset.selected = String(index + 1);
    else delete node.dataset.selected;
  }
  $('#checkers-path').textContent = selection.length > 0
    ? selection.join(' → ')
    : 'Click one of your pieces, then each square it lands on.';
  $('#send-move').disabled = selection.length < 2;
  $('#clear-move').disabled = selection.length === 0;
}

// ---------------------------------------------------------------- replay

// The positions of an ended game, rebuilt from its `moved` events by the rules of spec §5
// (the events carry moves, not boards). frames[k] is the board after k moves.
const INITIAL_BOARDS = {
  tictactoe: () => Array(9).fill(null),
  connect4: () => Array.from({ length: 6 }, () => Array(7).fill(null)),
  checkers: () => Array.from({ length: 32 }, (_, i) => (i < 12 ? 'b' : i >= 20 ? 'w' : null)),
};

function squareRowColumn(square) {
  const row = Math.floor((square - 1) / 4);
  return [row, 2 * ((square - 1) % 4) + (row % 2 === 0 ? 1 : 0)];
}

function applyMove(game, board, seat, move) {
  if (game === 'tictactoe') {
    const next = board.slice();
    next[move.cell] = seat;
    return next;
  }
  if (game === 'connect4') {
    const next = board.map((row) => row.slice());
    const row = next.findIndex((cells) => cells[move.column] == null);
    if (row >= 0) next[row][move.column] = seat;
    return next;
  }
  const next = board.slice(); // checkers
  const path = move.path || [];
  let piece = next[path[0] - 1];
  next[path[0] - 1] = null;
  for (let i = 1; i < path.length; i += 1) {
    const [r1, c1] = squareRowColumn(path[i - 1]);
    const [r2, c2] = squareRowColumn(path[i]);
    if (Math.abs(r2 - r1) === 2) next[squareAt((r1 + r2) / 2, (c1 + c2) / 2) - 1] = null; // the jumped piece
  }
  const last = path[path.length - 1];
  if (piece === 'b' && last >= 29) piece = 'B';
  if (piece === 'w' && last <= 4) piece = 'W';
  next[last - 1] = piece;
  return next;
}

function ended(state) {
  return state?.status === 'finished' || state?.status === 'aborted';
}

function renderReplay(view) {
  const state = view.state;
  if (!ended(state) || !INITIAL_BOARDS[state.game]) {
    $('#replay-controls').hidden = true;
    return;
  }
  if (!view.replay) {
    // Every event up to the end is needed; fetch what the socket did not bring.
    for (let seq = 1; seq <= state.seq; seq += 1) {
      if (!view.log.has(seq)) {
        if (!view.historyLoading && view.historyTries < 3) {
          view.historyTries += 1;
          loadHistory(view.gameId);
        }
        $('#replay-controls').hidden = true;
        return;
      }
    }
    const moves = [...view.log.entries()].filter(([, e]) => e.kind === 'moved').sort((a, b) => a[0] - b[0]);
    const frames = [INITIAL_BOARDS[state.game]()];
    for (const [, e] of moves) frames.push(applyMove(state.game, frames[frames.length - 1], e.seat, e.move));
    view.replay = { moves, frames, total: moves.length, index: view.openAsReplay ? 0 : moves.length, timer: null };
  }
  paintReplay(view);
}

function paintReplay(view) {
  const replay = view.replay;
  const state = view.state;
  $('#replay-controls').hidden = false;
  const move = replay.moves[replay.index - 1];
  // The final position is the server's board; earlier ones are rebuilt here.
  const board = replay.index === replay.total ? state.board : replay.frames[replay.index];
  renderBoard({ ...state, board }, { lastMove: move ? { seq: move[0], move: move[1].move } : null });
  const position = $('#replay-position');
  position.textContent = `move ${replay.index} of ${replay.total}`;
  position.dataset.index = String(replay.index);
  position.dataset.total = String(replay.total);
  const indicator = $('#turn-indicator');
  if (replay.index < replay.total) {
    indicator.textContent = move ? `Replay: ${describeEvent(move[1], state)}` : 'Replay: the start';
  }
  $('#replay-start').disabled = replay.index === 0;
  $('#replay-back').disabled = replay.index === 0;
  $('#replay-forward').disabled = replay.index === replay.total;
  $('#replay-end').disabled = replay.index === replay.total;
  $('#replay-play').hidden = replay.timer !== null;
  $('#replay-pause').hidden = replay.timer === null;
}

function replayTo(index) {
  const view = app.game;
  if (!view?.replay) return;
  view.replay.index = Math.max(0, Math.min(view.replay.total, index));
  if (view.replay.index === view.replay.total) stopReplay(view);
  renderGame();
}

function playReplay() {
  const view = app.game;
  const replay = view?.replay;
  if (!replay || replay.timer !== null) return;
  if (replay.index === replay.total) replay.index = 0; // from the top again
  replay.timer = setInterval(() => replayTo(replay.index + 1), REPLAY_STEP_MS);
  renderGame();
}

function stopReplay(view) {
  if (!view?.replay || view.replay.timer === null) return;
  clearInterval(view.replay.timer);
  view.replay.timer = null;
}

function pauseReplay() {
  stopReplay(app.game);
  if (app.game) renderGame();
}

// ---------------------------------------------------------------- event log

function describeMove(move) {
  if (move?.cell !== undefined) return `cell ${move.cell}`;
  if (move?.column !== undefined) return `column ${move.column}`;
  if (Array.isArray(move?.path)) return move.path.join(' → ');
  return JSON.stringify(move);
}

function describeEvent(event, state) {
  const who = (seat) => (state ? playerName(state, seat) : `seat ${seat}`);
  switch (event.kind) {
    case 'game_created': return `${event.name} created the game (seat 0)`;
    case 'player_joined': return `${event.name} joined (seat ${event.seat})`;
    case 'player_left': return `seat ${event.seat} left`;
    case 'game_started': return 'game started';
    case 'moved': return `${who(event.seat)}: ${describeMove(event.move)}`;
    case 'game_over': return `game over: ${resultText({ result: event.result }, {})}`;
    case 'game_aborted': return `game aborted (${event.reason})`;
    default: return event.kind;
  }
}

function renderLog() {
  const view = app.game;
  if (!view) return;
  const entries = [...view.log.entries()].sort((a, b) => b[0] - a[0]).slice(0, 200);
  $('#event-log').replaceChildren(...entries.map(([seq, event]) =>
    h('li', { value: seq, 'data-seq': seq }, describeEvent(event, view.state))));
}

// ---------------------------------------------------------------- start-up

function bindEvents() {
  $('#name-form').addEventListener('submit', onNameSubmit);
  $('#logout').addEventListener('click', onLogout);
  $('#error-dismiss').addEventListener('click', hideError);
  $('#create-form').addEventListener('submit', onCreateSubmit);
  $('#watch-form').addEventListener('submit', onWatchSubmit);
  $('#quickmatch-cancel').addEventListener('click', cancelQuickmatch);
  $('#leaderboard-game').addEventListener('change', refreshLeaderboard);
  $('#board').addEventListener('click', onBoardClick);
  $('#board').addEventListener('dblclick', onBoardDoubleClick);
  $('#send-move').addEventListener('click', sendCheckersMove);
  $('#clear-move').addEventListener('click', clearSelection);
  $('#join-button').addEventListener('click', onJoinClick);
  $('#resign-button').addEventListener('click', onResignClick);
  $('#leave-button').addEventListener('click', onLeaveClick);
  $('#lobby-button').addEventListener('click', showLobby);
  $('#copy-link').addEventListener('click', onCopyLink);
  $('#replay-start').addEventListener('click', () => replayTo(0));
  $('#replay-back').addEventListener('click', () => replayTo((app.game?.replay?.index ?? 0) - 1));
  $('#replay-forward').addEventListener('click', () => replayTo((app.game?.replay?.index ?? 0) + 1));
  $('#replay-end').addEventListener('click', () => replayTo(Infinity));
  $('#replay-play').addEventListener('click', playReplay);
  $('#replay-pause').addEventListener('click', pauseReplay);
  document.addEventListener('keydown', onKeyDown);
  window.addEventListener('hashchange', onHashChange);
}

function init() {
  bindEvents();
  // Timers sleep with the computer: a tab coming back checks its token at once.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && app.session) scheduleRefresh();
    if (!document.hidden && app.lobbyTimer) refreshLists();
  });
  renderCatalog();
  app.session = loadSession();
  if (app.session) start();
  else showNameScreen();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
