package io.sweepd.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CommandSpecTest {

    @Test
    void everyCommandNeedsAProgramAndAPositiveTimeout() {
        assertThatThrownBy(() -> new CommandSpec(List.of(), Duration.ofSeconds(1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandSpec.of(Duration.ZERO, "true")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandSpec.of(null, "true")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CommandSpec.of(Duration.ofSeconds(1), "echo", null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theArgvIsCopiedSoLaterChangesToTheCallersListDoNotLeakIn() {
        List<String> argv = new ArrayList<>(List.of("squeue", "--me"));
        CommandSpec spec = new CommandSpec(argv, Duration.ofSeconds(1), null);

        argv.add("--all");

        assertThat(spec.argv()).containsExactly("squeue", "--me");
    }

    @Test
    void theProgramNameIgnoresItsDirectory() {
        CommandSpec spec = CommandSpec.of(Duration.ofSeconds(1), "/usr/bin/squeue", "-h").in(Path.of("/tmp"));

        assertThat(spec.executable()).isEqualTo("/usr/bin/squeue");
        assertThat(spec.executableName()).isEqualTo("squeue");
        assertThat(spec.arguments()).containsExactly("-h");
        assertThat(spec.workingDir()).isEqualTo(Path.of("/tmp"));
    }
}
