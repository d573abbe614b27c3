package io.sweepd.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code main} picks what picocli builds: the top level and the one subcommand named, or the whole tree. */
class SweepdCliTest {

    @Test
    void everySubcommandIsListedUnderTheNameItsAnnotationGives() {
        SweepdCli.SUBCOMMANDS.forEach((name, command) ->
                assertThat(command.getAnnotation(Command.class).name()).as(command.getName()).isEqualTo(name));
        assertThat(SweepdCli.commandLine().getSubcommands()).as("the whole tree, in --help order")
                .containsOnlyKeys(SweepdCli.SUBCOMMANDS.keySet());
        assertThat(SweepdCli.commandLine().getSubcommands().keySet())
                .containsExactlyElementsOf(SweepdCli.SUBCOMMANDS.keySet());
    }

    @Test
    void aNamedSubcommandIsBuiltAloneAndAnythingElseGetsTheWholeTree() {
        assertThat(SweepdCli.commandLine("status").getSubcommands()).containsOnlyKeys("status");
        int all = SweepdCli.SUBCOMMANDS.size();
        for (String wholeTree : new String[] {null, "help", "completion", "manpage", "stauts"}) {
            assertThat(SweepdCli.commandLine(wholeTree).getSubcommands()).as(String.valueOf(wholeTree)).hasSize(all);
        }
    }

    @Test
    void theSubcommandIsTheFirstWordThatIsNeitherAnOptionNorItsValue() {
        assertThat(SweepdCli.subcommandNamed(new String[] {"--home", "status", "report", "x"})).isEqualTo("report");
        assertThat(SweepdCli.subcommandNamed(new String[] {"--config=f", "status"})).isEqualTo("status");
        assertThat(SweepdCli.subcommandNamed(new String[] {"--version"})).isNull();
    }

    @Test
    void eachCommandsHelpListsItsExitCodesAligned() {
        CommandLine status = SweepdCli.commandLine("status").getSubcommands().get("status");
        Map<String, String> codes = status.getCommandSpec().usageMessage().exitCodeList();
        assertThat(codes).containsKeys(" 0", " 1", " 2");
        assertThat(codes.keySet()).allSatisfy(key -> assertThat(key).hasSize(2));
    }
}
