package io.sweepd.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code sweepd show} for a person: the same document {@code --format json} prints, as sections of
 * {@code key: value} lines, the long parts (metrics, the Slurm record) folded to one line each.
 */
final class ShowText {

    private ShowText() {
    }

    static String render(JsonNode shown) {
        List<String> lines = new ArrayList<>();
        JsonNode run = shown.path("run");
        JsonNode job = shown.path("job");
        lines.add(shown.path("kind").asText() + " " + shown.path("name").asText() + " in run "
                + run.path("id").asText() + " (" + run.path("state").asText().toLowerCase(java.util.Locale.ROOT)
                + ")");
        section(lines, "Points");
        for (JsonNode p : shown.path("points")) {
            JsonNode m = p.path("matrix");
            lines.add("  " + p.path("id").asText() + "  " + p.path("state").asText()
                    + (p.path("refused-reason").isNull() ? "" : ": " + p.path("refused-reason").asText())
                    + "  conc " + m.path("conc") + ", " + m.path("framework").asText("?") + " on "
                    + m.path("runner").asText("?"));
        }
        if (job.isNull() || job.isMissingNode()) {
            lines.add("");
            lines.add(shown.path("note").asText());
            return String.join("\n", lines);
        }
        section(lines, "Job");
        job.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                lines.add("  " + e.getKey() + ": " + e.getValue().asText());
            }
        });
        JsonNode plan = shown.path("plan");
        section(lines, "Plan");
        if (plan.isNull() || plan.isMissingNode()) {
            lines.add("  (no plan.json in the job directory)");
        } else {
            lines.add("  profile " + plan.path("profile").asText() + ", launch " + plan.path("launcher").asText()
                    + " / " + plan.path("container-runtime").asText("unstated") + ", concurrencies "
                    + plan.path("concurrencies")
                    + (plan.path("topology").isObject() ? ", topology " + plan.path("topology") : ""));
            for (JsonNode p : plan.path("points")) {
                lines.add("  point " + p.path("point-id").asText() + ": recipe " + p.path("recipe").asText("none"));
                for (JsonNode w : p.path("workarounds")) {
                    lines.add("    workaround " + w.path("id").asText() + ": " + join(w.path("changes")));
                }
            }
        }
        for (JsonNode added : shown.path("workarounds-added")) {
            lines.add("  added by " + added.path("added-by").asText() + " at " + added.path("at").asText() + ": "
                    + added.path("id").asText() + " (" + join(added.path("changes")) + ")");
        }
        JsonNode recipe = shown.path("recipe");
        section(lines, "Recipe");
        if (recipe.isNull() || recipe.isMissingNode()) {
            lines.add("  (no recipe.yaml in the job directory)");
        } else {
            lines.add("  rendered: " + recipe.path("rendered").asText());
            lines.add("  base:     " + recipe.path("base").asText("(none found)"));
            if (recipe.path("changes").isEmpty()) {
                lines.add("  no difference");
            }
            for (JsonNode c : recipe.path("changes")) {
                String change = c.path("change").asText();
                lines.add("  " + switch (change) {
                    case "added" -> "+ " + c.path("path").asText() + ": " + c.path("rendered").asText();
                    case "removed" -> "- " + c.path("path").asText() + ": " + c.path("base").asText();
                    default -> "~ " + c.path("path").asText() + ": " + c.path("base").asText() + " -> "
                            + c.path("rendered").asText();
                });
            }
        }
        section(lines, "Attempts");
        if (shown.path("attempts").isEmpty()) {
            lines.add("  none (never submitted" + (job.path("reused-from-run").isNull() ? ")"
                    : "; completed by run " + job.path("reused-from-run").asText() + ")"));
        }
        for (JsonNode a : shown.path("attempts")) {
            lines.add("  #" + a.path("attempt").asInt() + "  Slurm " + a.path("slurm-job-id").asText("-") + "  "
                    + a.path("state").asText() + "  nodes " + a.path("nodes").asText("-") + "  exit "
                    + a.path("exit-code").asText("-") + "  queued " + duration(a.path("queue-wait-seconds"))
                    + ", ran " + duration(a.path("run-seconds")));
            item(lines, "submitted", a.path("submitted-at"));
            item(lines, "reason", a.path("reason"));
            if (!a.path("diagnosis").isNull()) {
                lines.add("      diagnosis: [" + a.path("category").asText() + "] " + a.path("diagnosis").asText()
                        + (a.path("suggested-workaround").isNull() ? ""
                        : " (fix: workaround " + a.path("suggested-workaround").asText() + ")"));
            }
            item(lines, "retried", a.path("retried-because"));
            item(lines, "rule added", a.path("rule-added"));
            item(lines, "evidence", a.path("evidence"));
        }
        section(lines, "Slurm record");
        JsonNode slurm = shown.path("slurm-record");
        if (slurm.isNull() || slurm.isMissingNode()) {
            lines.add("  (no slurm.json yet; the attempts above hold what the ledger recorded)");
        } else {
            slurm.fields().forEachRemaining(e -> lines.add("  " + e.getKey() + ": " + e.getValue()));
        }
        section(lines, "Triage");
        JsonNode triage = shown.path("triage");
        if (triage.isNull() || triage.isMissingNode()) {
            lines.add("  (not triaged)");
        } else {
            triage.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    lines.add("  " + e.getKey() + ": " + e.getValue().asText());
                }
            });
        }
        section(lines, "Results");
        if (shown.path("results").isEmpty()) {
            lines.add("  none");
        }
        for (JsonNode r : shown.path("results")) {
            lines.add("  " + r.path("point").asText() + " conc " + r.path("conc").asInt() + "  "
                    + r.path("state").asText() + (r.path("reason").isNull() ? "" : ": " + r.path("reason").asText()));
            if (!r.path("metrics").isNull()) {
                lines.add("      metrics: " + r.path("metrics"));
            }
            if (!r.path("eval").isNull()) {
                lines.add("      eval: " + r.path("eval"));
            }
            item(lines, "file", r.path("result-file"));
        }
        section(lines, "Files");
        shown.path("files").fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                lines.add("  " + e.getKey() + ": " + e.getValue().asText());
            }
        });
        JsonNode files = shown.path("files");
        list(lines, "logs", files.path("logs"));
        list(lines, "results", files.path("results"));
        for (JsonNode earlier : files.path("attempts")) {
            lines.add("  earlier attempt: " + earlier.path("directory").asText()
                    + (earlier.path("failure-archive").isNull() ? ""
                    : " (archive " + earlier.path("failure-archive").asText() + ")"));
        }
        return String.join("\n", lines);
    }

    private static void section(List<String> lines, String title) {
        lines.add("");
        lines.add(title);
    }

    private static void item(List<String> lines, String label, JsonNode value) {
        if (!value.isNull() && !value.isMissingNode()) {
            lines.add("      " + label + ": " + value.asText());
        }
    }

    private static void list(List<String> lines, String label, JsonNode files) {
        if (files.isEmpty()) {
            lines.add("  " + label + ": none");
            return;
        }
        lines.add("  " + label + ":");
        files.forEach(f -> lines.add("    " + f.asText()));
    }

    private static String join(JsonNode texts) {
        List<String> out = new ArrayList<>();
        texts.forEach(t -> out.add(t.asText()));
        return String.join("; ", out);
    }

    private static String duration(JsonNode seconds) {
        if (seconds.isNull() || seconds.isMissingNode()) {
            return "-";
        }
        long s = seconds.asLong();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
