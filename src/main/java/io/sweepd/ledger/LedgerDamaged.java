package io.sweepd.ledger;

import java.nio.file.Path;

/**
 * The ledger file is damaged or has lost writes: the daemon must not start on it (it would submit again what Slurm
 * already ran) and a command must not act on it. The message is the whole story for a person: which file, what is
 * wrong, and the command that recovers.
 */
public final class LedgerDamaged extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Path file;
    private final String problem;

    public LedgerDamaged(Path file, String problem, String recovery) {
        super("the ledger " + file + " is damaged: " + problem + ". " + recovery);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** What is wrong, without the file and the recovery. */
    public String problem() {
        return problem;
    }
}
