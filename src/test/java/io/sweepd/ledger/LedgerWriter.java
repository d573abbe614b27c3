package io.sweepd.ledger;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs in its own JVM: records a run and submits one job in an embedded ledger, says so on stdout, then either
 * waits to be killed (mode {@code wait}) or closes and exits (mode {@code exit}). The parent test kills it with
 * SIGKILL, or runs it from the shaded jar, and checks what the ledger kept.
 */
public final class LedgerWriter {

    static final String COMMITTED = "committed";

    private LedgerWriter() {
    }

    /** The java of the JVM running the tests, to start this program with. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        String mode = args[1];
        Ledger ledger = Ledger.embedded(stateDir);
        ledger.runs().recordRun(RunRecord.planned("r1", "dsr1", null, null, null, "{}"),
                List.of(JobRecord.planned("r1", "a", "local", "/outputs/r1/a", null, null, null),
                        JobRecord.planned("r1", "b", "local", "/outputs/r1/b", null, null, null)),
                List.of());
        ledger.jobs().beginSubmit("r1", "a", "sweepd-a");
        ledger.jobs().submitted("r1", "a", "4242");
        ledger.jobs().beginSubmit("r1", "b", "sweepd-b");
        System.out.println(COMMITTED);
        System.out.flush();
        if ("wait".equals(mode)) {
            Thread.sleep(60_000);
            System.exit(3);   // never reached when the parent kills us, as it should
        }
        ledger.close();
    }
}
