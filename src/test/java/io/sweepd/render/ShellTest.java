package io.sweepd.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellTest {

    @TempDir
    Path tmp;

    @Test
    void quotesWithSingleQuotesAndEscapesEmbeddedOnes() {
        assertThat(Shell.quote("plain")).isEqualTo("'plain'");
        assertThat(Shell.quote("")).isEqualTo("''");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\0b"})
    void refusesLineBreaksAndNul(String value) {
        assertThatThrownBy(() -> Shell.quote(value)).isInstanceOf(UnsafeValueException.class)
                .hasMessageContaining("NUL or line break");
    }

    /** Each hostile value passes through real bash as one word, verbatim, and runs nothing. */
    @Test
    void hostileValuesArriveVerbatimInBashAndExecuteNothing() throws Exception {
        Path marker = tmp.resolve("pwned");
        List<String> hostile = List.of(
                "$(touch " + marker + ")",
                "`touch " + marker + "`",
                "x; touch " + marker,
                "x && touch " + marker + " || true",
                "'; touch " + marker + "; echo '",
                "\"$(touch " + marker + ")\"",
                "$HOME ${PATH} * ? [a] ~ !! \\ | > " + marker,
                "it's \"quoted\" and 'single'");
        for (String value : hostile) {
            Path out = tmp.resolve("out.txt");
            String script = "printf '%s' " + Shell.quote(value) + " > " + Shell.quote(out.toString()) + "\n";
            Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
            assertThat(bash.waitFor()).as(value).isZero();
            assertThat(Files.readString(out)).as("value arrives verbatim").isEqualTo(value);
            assertThat(marker).as("nothing executed for " + value).doesNotExist();
        }
    }
}
