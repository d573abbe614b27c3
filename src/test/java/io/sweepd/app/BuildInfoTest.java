package io.sweepd.app;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class BuildInfoTest {

    private static BuildInfo of(String version, String commit, String dirty) {
        Properties values = new Properties();
        values.setProperty("version", version);
        values.setProperty("commit", commit);
        values.setProperty("dirty", dirty);
        return BuildInfo.of(values);
    }

    @Test
    void theVersionAndTheCommitItWasBuiltFrom() {
        assertThat(of("1.2.0", "04691ee", "false").describe()).isEqualTo("1.2.0 (commit 04691ee)");
        assertThat(of("1.2.0", "04691ee", "true").describe()).isEqualTo("1.2.0 (commit 04691ee, uncommitted changes)");
    }

    @Test
    void aBuildWithoutGitNamesNoCommit() {
        // The git plugin skips a tree without .git: its placeholders stay in the filtered file.
        assertThat(of("1.2.0", "${git.commit.id.abbrev}", "${git.dirty}").describe())
                .isEqualTo("1.2.0 (no git commit recorded: built outside a git checkout, or in a linked worktree)");
    }

    @Test
    void anUnfilteredCopySaysItsVersionIsUnknownAndWhy() {
        assertThat(of("${project.version}", "${git.commit.id.abbrev}", "${git.dirty}").describe())
                .startsWith("version unknown (classes not built by Maven");
    }

    @Test
    void theBuildFilledInThisClasspathsVersion() {
        // Maven filtered src/main/resources-filtered before these tests ran.
        assertThat(BuildInfo.current().version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
