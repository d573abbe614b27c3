package io.sweepd.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandWordsTest {

    @Test
    void blanksSeparateWords() {
        assertThat(CommandWords.split("  /opt/bin/notify   --channel\tperf ")).containsExactly("/opt/bin/notify",
                "--channel", "perf");
        assertThat(CommandWords.split("   ")).isEmpty();
    }

    @Test
    void quotesKeepBlanksAndShellSyntaxAsOrdinaryText() {
        assertThat(CommandWords.split("notify 'two words' \"say \\\"hi\\\" \\\\ $HOME\" '' a'b c'd"))
                .containsExactly("notify", "two words", "say \"hi\" \\ $HOME", "", "ab cd");
    }

    @Test
    void nothingAShellWouldInterpretIsSpecial() {
        assertThat(CommandWords.split("notify $(id) `id` a|b >out ; * ~ ${X}"))
                .containsExactly("notify", "$(id)", "`id`", "a|b", ">out", ";", "*", "~", "${X}");
    }

    @Test
    void aBackslashOutsideQuotesEscapesTheNextCharacter() {
        assertThat(CommandWords.split("a\\ b c\\'d \\\\")).containsExactly("a b", "c'd", "\\");
    }

    @Test
    void anUnbalancedQuoteOrATrailingBackslashIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> CommandWords.split("notify 'open")).hasMessageContaining("unbalanced '");
        assertThatThrownBy(() -> CommandWords.split("notify \"open")).hasMessageContaining("unbalanced \"");
        assertThatThrownBy(() -> CommandWords.split("notify \\")).hasMessageContaining("lone backslash");
    }
}
