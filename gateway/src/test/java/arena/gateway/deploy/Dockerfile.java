package arena.gateway.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker/Dockerfile read as its instructions, stage by stage (enough of the syntax for the checks). */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {

  record Instruction(String keyword, String arguments) {}

  record Stage(String image, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Instruction last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? null : found.get(found.size() - 1);
    }
  }

  static Dockerfile read() {
    return parse(Repository.read("docker/Dockerfile"));
  }

  static Dockerfile parse(String text) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (current.length() > 0) {
        logical.add(current.toString().strip());
      }
      current.setLength(0);
    }
    Map<String, String> args = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    List<Instruction> instructions = null;
    for (String line : logical) {
      int space = line.indexOf(' ');
      String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
      String arguments = space < 0 ? "" : line.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] words = arguments.split("\\s+");
        String image = substitute(words[0], args);
        String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
        instructions = new ArrayList<>();
        stages.add(new Stage(image, name, instructions));
      } else if (instructions == null) {
        if (keyword.equals("ARG")) {
          String[] kv = arguments.split("=", 2);
          args.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      } else {
        instructions.add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(args, stages);
  }

  Stage runtime() {
    return stages.get(stages.size() - 1);
  }

  private static String substitute(String value, Map<String, String> args) {
    String result = value;
    for (Map.Entry<String, String> arg : args.entrySet()) {
      result = result.replace("${" + arg.getKey() + "}", arg.getValue()).replace("$" + arg.getKey(), arg.getValue());
    }
    return result;
  }
}
