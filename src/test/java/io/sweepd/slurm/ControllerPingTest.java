package io.sweepd.slurm;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** scontrol ping's output as src/scontrol/scontrol.c prints it: one "Slurmctld(MODE) at HOST is UP|DOWN" per controller. */
class ControllerPingTest {

    private static ControllerPing ping(ScriptedLauncher launcher) {
        return new SlurmClient(new CommandRunner(launcher), SlurmTimeouts.defaults()).ping();
    }

    @Test
    void aControllerThatAnswersIsUp() {
        ScriptedLauncher launcher = new ScriptedLauncher().on(0, "Slurmctld(primary) at ctl1 is UP\n", "", "ping");

        ControllerPing ping = ping(launcher);

        assertThat(ping.reach()).isEqualTo(ControllerPing.Reach.UP);
        assertThat(ping.message()).isEqualTo("Slurmctld(primary) at ctl1 is UP");
        assertThat(launcher.calls()).singleElement().satisfies(c ->
                assertThat(c.argv()).containsExactly("scontrol", "ping"));
    }

    @Test
    void oneAnsweringControllerOfTwoIsEnough() {
        ControllerPing ping = ping(new ScriptedLauncher().on(0,
                "Slurmctld(primary) at ctl1 is DOWN\nSlurmctld(backup) at ctl2 is UP\n", "", "ping"));

        assertThat(ping.reach()).isEqualTo(ControllerPing.Reach.UP);
        assertThat(ping.controllers()).hasSize(2);
    }

    @Test
    void everyControllerDownIsDownAndRootsBannerIsIgnored() {
        ControllerPing ping = ping(new ScriptedLauncher().on(1, "Slurmctld(primary) at ctl1 is DOWN\n"
                + "*****************************************\n** RESTORE SLURMCTLD DAEMON TO SERVICE **\n"
                + "*****************************************\n", "", "ping"));

        assertThat(ping.reach()).isEqualTo(ControllerPing.Reach.DOWN);
        assertThat(ping.message()).isEqualTo("Slurmctld(primary) at ctl1 is DOWN");
    }

    @Test
    void aTimeoutIsDown() {
        assertThat(ping(new ScriptedLauncher().timeoutOn("ping")).reach()).isEqualTo(ControllerPing.Reach.DOWN);
    }

    @Test
    void aScontrolThatCannotBeStartedIsNoCommand() {
        ControllerPing ping = ping(new ScriptedLauncher().on(CommandResult.NOT_STARTED, "",
                "cannot run scontrol: Cannot run program \"scontrol\": error=2, No such file or directory", "ping"));

        assertThat(ping.reach()).isEqualTo(ControllerPing.Reach.NO_COMMAND);
        assertThat(ping.message()).contains("No such file or directory");
    }

    @Test
    void aConfigurationScontrolCannotReadIsFailedWithItsErrorLine() {
        ControllerPing ping = ping(new ScriptedLauncher().on(1, "",
                "scontrol: error: s_p_parse_file: unable to status file /etc/slurm/nope.conf: No such file or"
                        + " directory, retrying in 1sec up to 60sec\n"
                        + "scontrol: fatal: Unable to process configuration file\n", "ping"));

        assertThat(ping.reach()).isEqualTo(ControllerPing.Reach.FAILED);
        assertThat(ping.message()).contains("unable to status file /etc/slurm/nope.conf");
    }

    @Test
    void configlessWithTheControllerUnreachableIsDownNotABrokenConfiguration() {
        ControllerPing ping = ping(new ScriptedLauncher().on(1, "",
                "scontrol: error: fetch_config: DNS SRV lookup failed\n"
                        + "scontrol: error: _establish_config_source: failed to fetch config\n"
                        + "scontrol: fatal: Could not establish a configuration source\n", "ping"));

        assertThat(ping.reach()).isEqualTo(ControllerPing.Reach.DOWN);
    }
}
