package io.sweepd.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TriageNoteTest {

    @TempDir
    Path jobDir;

    private void triage(String json) throws IOException {
        Files.writeString(jobDir.resolve("triage.json"), json);
    }

    @Test
    void theDiagnosisIsTriagesOneLine() throws IOException {
        triage("""
                {"category": "per-rank-oom", "retryable": false,
                 "diagnosis": "rank 3 needs 81.2 GiB for weights, the GPU has 79.2 GiB usable",
                 "suggested-workaround": "dsv4-h100-dep16", "evidence": []}""");

        assertThat(TriageNote.diagnosis(jobDir))
                .contains("rank 3 needs 81.2 GiB for weights, the GPU has 79.2 GiB usable");
    }

    @Test
    void theCategoryStandsInForAMissingDiagnosis() throws IOException {
        triage("{\"category\": \"unknown\", \"diagnosis\": \"  \"}");

        assertThat(TriageNote.diagnosis(jobDir)).contains("unknown");
    }

    @Test
    void noFileOrAnUnreadableOneMeansNoDiagnosis() throws IOException {
        assertThat(TriageNote.diagnosis(jobDir)).isEmpty();
        assertThat(TriageNote.diagnosis(null)).isEmpty();

        triage("{\"category\": \"oom\", \"diagn");
        assertThat(TriageNote.diagnosis(jobDir)).as("half-written").isEmpty();
        triage("[]");
        assertThat(TriageNote.diagnosis(jobDir)).isEmpty();
    }
}
