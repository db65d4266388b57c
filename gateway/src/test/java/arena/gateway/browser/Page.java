package arena.gateway.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A browser tab as a test drives it: navigation, DOM reads and clicks through
 * {@code Runtime.evaluate}, bounded polling waits that say what they waited for and what the
 * page showed, and screenshots. The viewport is fixed at {@value #WIDTH}x{@value #HEIGHT}.
 */
final class Page implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30); // generous: the test machine may be loaded
  static final int WIDTH = 1200;
  static final int HEIGHT = 800;
  private static final long POLL_MILLIS = 50;

  final String name;
  private final Cdp cdp;

  Page(String name, Cdp cdp) {
    this.name = name;
    this.cdp = cdp;
    cdp.send("Runtime.enable");
    cdp.send("Log.enable");
    cdp.send("Emulation.setDeviceMetricsOverride", Cdp.JSON.createObjectNode()
        .put("width", WIDTH).put("height", HEIGHT).put("deviceScaleFactor", 1).put("mobile", false));
  }

  /** Opens {@code url} (a full URL, as {@code location.href} will show it) and waits until it has loaded. */
  void navigate(String url) {
    JsonNode result = cdp.send("Page.navigate", Cdp.JSON.createObjectNode().put("url", url));
    if (result.hasNonNull("errorText")) {
      throw new AssertionError(name + ": navigating to " + url + " failed: " + result.get("errorText").asText());
    }
    waitFor("location.href === " + js(url) + " && document.readyState === 'complete'", "page " + url + " to load");
  }

  /**
   * Makes this the browser's active tab, as a user does before using it, and waits until the page
   * sees itself visible (a background tab is hidden, and the client polls its lists only while visible).
   */
  void bringToFront() {
    cdp.send("Page.bringToFront");
    waitFor("document.visibilityState === 'visible'", "the tab to be visible");
  }

  /** The JSON value of a JavaScript expression evaluated in the page. */
  JsonNode evaluate(String expression) {
    return cdp.evaluate(expression);
  }

  /** The text of the first element matching {@code selector}, or {@code null} when there is none. */
  String text(String selector) {
    JsonNode value = cdp.evaluate("document.querySelector(" + js(selector) + ")?.textContent ?? null");
    return value.isNull() ? null : value.asText();
  }

  /** Polls {@code condition} (a JavaScript expression) until it is truthy; fails after {@link #WAIT}. */
  void waitFor(String condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last;
    while (true) {
      try {
        JsonNode value = cdp.evaluate("Boolean(" + condition + ")");
        if (value.asBoolean()) {
          return;
        }
        last = value.toString();
      } catch (IllegalStateException e) { // e.g. no execution context while a new document loads
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + ": waited " + WAIT.toSeconds() + " s for " + what
            + "\n  condition: " + condition + " (last: " + last + ")\n  page: " + describe());
      }
      pause();
    }
  }

  /** Waits until the text of {@code selector} is exactly {@code expected}. */
  void waitForText(String selector, String expected) {
    poll("document.querySelector(" + js(selector) + ")?.textContent ?? " + js("(no element " + selector + ")"),
        expected, "see " + selector + " read \"" + expected + "\"");
  }

  /** Waits until {@code selector} matches a visible, enabled element, then clicks it. */
  void click(String selector) {
    String script = "(() => { const el = document.querySelector(" + js(selector) + ");"
        + " if (!el) return 'missing'; if (!el.checkVisibility()) return 'hidden';"
        + " if (el.disabled) return 'disabled'; el.click(); return 'clicked'; })()";
    poll(script, "clicked", "click " + selector);
  }

  /** Waits until {@code selector} matches an input or select that accepts {@code value}, sets it and fires input and change. */
  void setValue(String selector, String value) {
    String script = "(() => { const el = document.querySelector(" + js(selector) + ");"
        + " if (!el) return 'missing'; el.focus(); el.value = " + js(value) + ";"
        + " if (el.value !== " + js(value) + ") return 'refused: ' + el.value;"
        + " el.dispatchEvent(new Event('input', {bubbles: true}));"
        + " el.dispatchEvent(new Event('change', {bubbles: true})); return 'set'; })()";
    poll(script, "set", "set " + selector + " to \"" + value + "\"");
  }

  /** A PNG of the viewport, written to {@code file}. */
  byte[] screenshot(Path file) throws IOException {
    JsonNode shot = cdp.send("Page.captureScreenshot", Cdp.JSON.createObjectNode().put("format", "png"));
    byte[] png = Base64.getDecoder().decode(shot.get("data").asText());
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, png);
    return png;
  }

  /** What the page shows, for failure messages: URL, screen, connection, error banner, game facts and its log. */
  String describe() {
    try {
      JsonNode facts = cdp.evaluate("(() => { const t = (s) => document.querySelector(s)?.textContent ?? null;"
          + " const banner = document.querySelector('#error-banner');"
          + " return {url: location.href, screen: document.body?.dataset.screen, connection: document.body?.dataset.connection,"
          + " error: banner && !banner.hidden ? t('#error-code') + ': ' + t('#error-message') : null,"
          + " game: t('#game-id'), status: t('#game-status'), turn: t('#turn-indicator'), result: t('#game-result')}; })()");
      return facts + "\n  browser log: " + cdp.log();
    } catch (RuntimeException e) {
      return "unavailable (" + e.getMessage() + ")\n  browser log: " + cdp.log();
    }
  }

  /** Console messages, uncaught exceptions and browser log entries so far (the last 50). */
  List<String> log() {
    return cdp.log();
  }

  @Override
  public void close() {
    cdp.close();
  }

  /** Evaluates {@code script} until it returns {@code done}; fails after {@link #WAIT} with its last answer. */
  private void poll(String script, String done, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String last;
      try {
        last = cdp.evaluate(script).asText();
        if (done.equals(last)) {
          return;
        }
      } catch (IllegalStateException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + ": could not " + what + " within " + WAIT.toSeconds() + " s (last: " + last + ")"
            + "\n  page: " + describe());
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A JavaScript string literal. */
  static String js(String text) {
    try {
      return Cdp.JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
