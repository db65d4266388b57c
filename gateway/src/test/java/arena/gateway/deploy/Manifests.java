package arena.gateway.deploy;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rendered objects of one kustomization, with the look-ups the checks share. */
record Manifests(String folder, List<JsonNode> objects) {

  static final String NODE = "arena";

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name(o).equals(name)).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError(folder + " renders no " + kind + " named " + name));
  }

  /** The Arena nodes' Deployment. */
  JsonNode deployment() {
    return get("Deployment", NODE);
  }

  JsonNode podSpec() {
    return deployment().path("spec").path("template").path("spec");
  }

  Map<String, String> podLabels() {
    return strings(deployment().path("spec").path("template").path("metadata").path("labels"));
  }

  /** The node's container in the Deployment. */
  JsonNode container() {
    for (JsonNode c : podSpec().path("containers")) {
      if (c.path("name").asText().equals(NODE)) {
        return c;
      }
    }
    return fail(folder + ": the Deployment has no container named " + NODE);
  }

  /** Container port number by name. */
  Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (JsonNode p : container().path("ports")) {
      ports.put(p.path("name").asText(), p.path("containerPort").asInt());
    }
    return ports;
  }

  /** A Service's or probe's port (a name or a number) as a container port number; -1 if none. */
  int resolvePort(JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    return containerPorts().getOrDefault(port.asText(), -1);
  }

  /** The container's environment: explicit env entries (value, or a description of valueFrom). */
  Map<String, JsonNode> env() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    for (JsonNode e : container().path("env")) {
      env.put(e.path("name").asText(), e);
    }
    return env;
  }

  /** Variables that come from ConfigMaps through envFrom, with their values. */
  Map<String, String> envFromConfigMaps() {
    Map<String, String> vars = new LinkedHashMap<>();
    for (JsonNode source : container().path("envFrom")) {
      String prefix = source.path("prefix").asText("");
      if (source.has("configMapRef")) {
        configMap(source.path("configMapRef").path("name").asText())
            .forEach((k, v) -> vars.put(prefix + k, v));
      }
      if (source.has("secretRef")) {
        fail(folder + ": envFrom of a whole Secret hides which variables it sets; use secretKeyRef per variable");
      }
    }
    return vars;
  }

  Map<String, String> configMap(String name) {
    return strings(get("ConfigMap", name).path("data"));
  }

  /** A Secret's decoded data, if the kustomization renders that Secret. */
  Optional<Map<String, String>> secret(String name) {
    return find("Secret", name).map(s -> {
      Map<String, String> data = new LinkedHashMap<>();
      s.path("data").fields().forEachRemaining(f -> data.put(f.getKey(),
          new String(Base64.getMimeDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)));
      s.path("stringData").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
      return data;
    });
  }

  /** Pod templates of every workload, by "Kind/name". */
  Map<String, JsonNode> podTemplates() {
    Map<String, JsonNode> templates = new LinkedHashMap<>();
    for (JsonNode o : objects) {
      JsonNode template = o.path("spec").path("template");
      if (template.has("spec") && template.path("spec").has("containers")) {
        templates.put(o.path("kind").asText() + "/" + name(o), template);
      }
    }
    return templates;
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.fields().forEachRemaining(f -> result.put(f.getKey(), f.getValue().asText()));
    return result;
  }

  /** Whether a label selector ({@code matchLabels} and {@code matchExpressions}) selects these labels. */
  static boolean selects(JsonNode selector, Map<String, String> labels) {
    if (selector.isMissingNode() || selector.isNull()) {
      return false;
    }
    boolean matchLabels = strings(selector.path("matchLabels")).entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      List<String> values = new java.util.ArrayList<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      boolean ok = switch (expression.path("operator").asText()) {
        case "In" -> values.contains(labels.get(key));
        case "NotIn" -> !values.contains(labels.get(key));
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return matchLabels;
  }

  /** Whether a plain Service selector ({@code key: value} pairs) selects these labels. */
  static boolean selectsPlain(JsonNode selector, Map<String, String> labels) {
    Map<String, String> wanted = strings(selector);
    return !wanted.isEmpty() && wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
