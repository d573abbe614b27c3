package io.sweepd.results;

import io.sweepd.ledger.ResultState;

import java.util.Map;
import java.util.Objects;

/**
 * How one planned concurrency of one point came out of a completed job.
 *
 * @param reason     why INVALID, else null
 * @param metrics    the derived metrics ({@link Metrics}); null unless COMPLETED. An INVALID row carries no
 *                   metrics, so nothing downstream can chart numbers the gate rejected; its reason states them.
 * @param eval       lm-eval scores and verdicts when an eval belongs to this row (see {@link JobResultsCollector}),
 *                   else null
 * @param resultFile the benchmark file, relative to the job's results directory; null when there was none
 */
public record ConcurrencyResult(String pointId, int conc, ResultState state, String reason,
                                Map<String, Object> metrics, Map<String, Object> eval, String resultFile) {

    public ConcurrencyResult {
        Objects.requireNonNull(pointId, "pointId");
        Objects.requireNonNull(state, "state");
        if ((state == ResultState.INVALID) != (reason != null)) {
            throw new IllegalArgumentException(pointId + " c" + conc + ": an INVALID result needs a reason, "
                    + "and only an INVALID result has one");
        }
    }

    static ConcurrencyResult invalid(String pointId, int conc, String reason, String resultFile) {
        return new ConcurrencyResult(pointId, conc, ResultState.INVALID, reason, null, null, resultFile);
    }

    ConcurrencyResult withEval(Map<String, Object> evalScores) {
        return new ConcurrencyResult(pointId, conc, state, reason, metrics, evalScores, resultFile);
    }
}
