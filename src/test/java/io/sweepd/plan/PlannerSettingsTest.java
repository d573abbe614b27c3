package io.sweepd.plan;

import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.preflight.ModelCatalog;
import io.sweepd.preflight.Preflight;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import io.sweepd.workarounds.AppliedWorkaround;
import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sweep-level settings that change planning: disable-workarounds and override-preflight. */
class PlannerSettingsTest {

    @TempDir
    Path home;

    private SweepdSettings settings() {
        return SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString(),
                "sweepd.recipes-dir", Fixtures.fixture("seed-pr").toString()));
    }

    private Planner planner() {
        return PlannerFactory.create(settings());
    }

    /** The seed sweep as nightly.yaml under home, after a {@code sweep:} block of these lines. */
    private Path seedSweep(String... sweepLines) throws IOException {
        StringBuilder text = new StringBuilder();
        if (sweepLines.length > 0) {
            text.append("sweep:\n");
            for (String line : sweepLines) {
                text.append("  ").append(line).append('\n');
            }
        }
        text.append(Files.readString(Fixtures.fixture("seed-pr/sweep.yaml")));
        Path file = home.resolve("nightly.yaml");
        Files.writeString(file, text.toString());
        return file;
    }

    private static List<String> ruleIds(EnrichedPoint point) {
        return point.workarounds().stream().map(AppliedWorkaround::id).toList();
    }

    @Test
    void aDisabledRuleIsNotAppliedWhileTheOthersStillAre() throws IOException {
        Plan plan = planner().plan(seedSweep("profile: h200-dgxc-slurm",
                "disable-workarounds: [dsv4-no-chat-template]"));

        assertThat(plan.points()).hasSize(2).allSatisfy(p -> {
            EnrichedPoint point = p.enriched();
            assertThat(ruleIds(point)).doesNotContain("dsv4-no-chat-template")
                    .contains("dynamo-vllm-no-frontend-flags-on-workers", "dsv4-dynamo-vllm-pin-dynamo-commit");
            assertThat(point.serverConfig().at("/benchmark/use_chat_template").asBoolean(true)).isTrue();
            assertThat(point.serverConfig().at("/backend/vllm_config/decode").has("tool-call-parser")).isFalse();
        });
        Plan enabled = planner().plan(seedSweep("profile: h200-dgxc-slurm"));
        assertThat(ruleIds(enabled.points().get(0).enriched())).contains("dsv4-no-chat-template");
    }

    @Test
    void anUnknownRuleIdToDisableIsASweepFormatErrorNamingTheField() throws IOException {
        Path sweep = seedSweep("disable-workarounds: [dsv4-no-chat-template, no-such-rule]");

        assertThatThrownBy(() -> planner().plan(sweep))
                .isInstanceOfSatisfying(YamlFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("sweep.disable-workarounds");
                    assertThat(e.file()).isEqualTo("nightly.yaml");
                    assertThat(e.problem()).contains("no-such-rule").doesNotContain("no workaround with id dsv4");
                });
    }

    @Test
    void withoutTheOverrideTheSeedIsRefusedOnH100ForMemory() throws IOException {
        Plan plan = planner().plan(seedSweep());

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.points()).allSatisfy(p -> assertThat(p.enriched().refused()).contains("74.99 GiB"));
    }

    @Test
    void anOverriddenMemoryRefusalIsPlannedAnyway() throws IOException {
        Plan plan = planner().plan(seedSweep("override-preflight: [memory]"));

        assertThat(plan.refusedPoints()).isEmpty();
        assertThat(plan.jobs()).hasSize(2);
        assertThat(plan.points()).allSatisfy(p -> {
            assertThat(p.enriched().profile()).isEqualTo("h100-dgxc-slurm");
            assertThat(p.enriched().refused()).isNull();
        });
    }

    @Test
    void theMemoryOverrideDoesNotLiftAPoolSizeRefusal() throws IOException {
        Path sweep = seedSweep("override-preflight: [memory]");
        String text = Files.readString(sweep);
        // Without a recipe the matrix's worker counts decide the nodes: 2 for prefill, 4 x 2 for decode.
        Files.writeString(sweep, text.replaceAll("        additional-settings:\n        - \"CONFIG_FILE=[^\"]*\"\n", "")
                .replace("      decode:\n        num-worker: 1", "      decode:\n        num-worker: 4"));
        assertThat(Files.readString(sweep)).doesNotContain("CONFIG_FILE").contains("num-worker: 4");

        Plan plan = planner().plan(sweep);

        assertThat(plan.jobs()).isEmpty();
        assertThat(plan.points()).hasSize(2).allSatisfy(p ->
                assertThat(p.enriched().refused()).contains("needs 10 nodes (2 prefill + 8 decode)")
                        .contains("h100-dgxc-slurm pool has"));
    }

    @Test
    void preflightTurnsAMemoryRefusalIntoANoteOnlyWhenOverridden() throws IOException {
        Planner planner = planner();
        SweepFile sweep = new SweepParser().parse(seedSweep());
        EnrichedPoint point = planner.enrichPoint(planner.planning(sweep), planner.expand(sweep).get(0));
        ClusterProfile h100 = PlannerFactory.profiles(settings()).byName("h100-dgxc-slurm").orElseThrow();
        Preflight preflight = new Preflight(ModelCatalog.loadDefaults());

        Preflight.Verdict strict = preflight.check(point.point(), h100, point.topology(), point.serverConfig(), false);
        Preflight.Verdict overridden = preflight.check(point.point(), h100, point.topology(), point.serverConfig(),
                true);

        assertThat(strict.refusal()).contains("74.99 GiB");
        assertThat(strict.notes()).noneMatch(n -> n.contains("OVERRIDDEN"));
        assertThat(overridden.refused()).isFalse();
        assertThat(overridden.notes()).anyMatch(n -> n.startsWith("memory check OVERRIDDEN by the sweep's"
                + " override-preflight: ") && n.endsWith(strict.refusal()));
        assertThat(preflight.check(point.point(), h100, point.topology(), point.serverConfig()))
                .as("the four-argument check does not override").isEqualTo(strict);
    }

    @Test
    void aPreflightCheckThatCannotBeOverriddenIsASweepFormatError() throws IOException {
        Path sweep = seedSweep("override-preflight: [placement]");

        assertThatThrownBy(() -> planner().plan(sweep))
                .isInstanceOfSatisfying(YamlFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("sweep.override-preflight");
                    assertThat(e.problem()).contains("placement").contains("memory");
                });
    }
}
