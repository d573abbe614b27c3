package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.sweep.SweepOrigin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sweepd.core.JobDirectory;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.workarounds.WorkaroundCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fix-and-rerun loop on a job rendered from the seed sweep with the case-3 rule disabled, so its recipe.yaml
 * still has the API-server flags that kill Dynamo's vLLM workers.
 */
class SuggestedFixTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    private static final String RULE = "dynamo-vllm-no-frontend-flags-on-workers";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private Ledger ledger;
    private JobDirectory dir;
    private ClusterProfile profile;
    private final SuggestedFix fix = new SuggestedFix(WorkaroundCatalog.load(true, List.of()));

    @BeforeEach
    void renderAJobWithoutTheRule() {
        ledger = InMemoryLedger.open(new MutableClock(T0));
        SeedPlans seed = new SeedPlans(home);
        profile = seed.profiles().byName(SeedPlans.PROFILE).orElseThrow();
        String runId = new RunRecorder(ledger, seed.profiles(), home.resolve("outputs"))
                .record(seed.plan("  disable-workarounds: [" + RULE + "]\n"),
                        new SweepOrigin("nightly.yaml", home.toString(), null), T0);
        JobRecord job = ledger.jobs().jobs(runId).get(0);
        dir = new JobDirectory(Path.of(job.jobDir()));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private JsonNode recipe() throws IOException {
        return YAML.readTree(dir.recipe().toFile());
    }

    @Test
    void theSuggestedRuleRemovesTheFlagsFromTheJobsRecipeAndKeepsEverythingElse() throws IOException {
        JsonNode before = recipe();
        assertThat(before.at("/backend/vllm_config/decode").has("tool-call-parser")).as("precondition").isTrue();

        SuggestedFix.Outcome outcome = fix.apply(dir, RULE, profile);

        assertThat(outcome.applied()).isTrue();
        assertThat(outcome.problem()).isNull();
        assertThat(outcome.changes()).anyMatch(c -> c.contains("tool-call-parser"));
        JsonNode after = recipe();
        for (String role : List.of("prefill", "decode")) {
            JsonNode args = after.at("/backend/vllm_config/" + role);
            for (String flag : List.of("tokenizer-mode", "tool-call-parser", "reasoning-parser",
                    "enable-auto-tool-choice")) {
                assertThat(args.has(flag)).as(role + " " + flag).isFalse();
            }
            assertThat(args.get("kv-cache-dtype")).isEqualTo(before.at("/backend/vllm_config/" + role
                    + "/kv-cache-dtype"));
        }
        assertThat(after.get("benchmark")).as("the job's concurrencies stay").isEqualTo(before.get("benchmark"));
        assertThat(after.at("/dynamo/hash")).isEqualTo(before.at("/dynamo/hash"));
    }

    @Test
    void whatWasAddedIsRecordedAsAddedByTriage() throws IOException {
        SuggestedFix.Outcome outcome = fix.apply(dir, RULE, profile);

        JsonNode added = JSON.readTree(dir.root().resolve(SuggestedFix.ADDED_FILE).toFile());
        assertThat(added.isArray()).isTrue();
        assertThat(added).hasSize(1);
        assertThat(added.get(0).path("id").asText()).isEqualTo(RULE);
        assertThat(added.get(0).path("added-by").asText()).isEqualTo("triage");
        assertThat(Instant.parse(added.get(0).path("at").asText())).isNotNull();
        List<String> changes = JSON.convertValue(added.get(0).path("changes"),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(changes).isEqualTo(outcome.changes());
    }

    @Test
    void applyingTheRuleAgainChangesNothingAndRecordsNothing() throws IOException {
        fix.apply(dir, RULE, profile);
        String recipe = Files.readString(dir.recipe());
        String added = Files.readString(dir.root().resolve(SuggestedFix.ADDED_FILE));

        SuggestedFix.Outcome again = fix.apply(dir, RULE, profile);

        assertThat(again.applied()).isFalse();
        assertThat(again.problem()).contains("changes nothing");
        assertThat(dir.recipe()).hasContent(recipe);
        assertThat(dir.root().resolve(SuggestedFix.ADDED_FILE)).hasContent(added);
    }

    @Test
    void anUnknownRuleIsAProblemAndTheRecipeIsUntouched() throws IOException {
        String recipe = Files.readString(dir.recipe());

        SuggestedFix.Outcome outcome = fix.apply(dir, "no-such-rule", profile);

        assertThat(outcome.applied()).isFalse();
        assertThat(outcome.problem()).isEqualTo("no workaround rule no-such-rule");
        assertThat(dir.recipe()).hasContent(recipe);
        assertThat(dir.root().resolve(SuggestedFix.ADDED_FILE)).doesNotExist();
    }
}
