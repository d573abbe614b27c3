package io.sweepd.results;

import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;

import java.util.List;

/**
 * What collecting one completed job found: one {@link ConcurrencyResult} per planned (point, concurrency), in
 * plan order, and notes on what it saw but could not place (a result file for a concurrency nobody planned, an
 * eval file that is not lm-eval's, two files for one concurrency). Notes are for the log; the rows are the record.
 */
public record JobResults(String runId, String jobKey, List<ConcurrencyResult> results, List<String> notes) {

    public JobResults {
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    public long completed() {
        return results.stream().filter(r -> r.state() == ResultState.COMPLETED).count();
    }

    public long invalid() {
        return results.stream().filter(r -> r.state() == ResultState.INVALID).count();
    }

    /** True when the job produced no usable result at all: the job itself is then INVALID, not COMPLETED. */
    public boolean nothingValid() {
        return completed() == 0;
    }

    /** The rows for {@link io.sweepd.ledger.ResultStore#recordResults}. */
    public List<ResultRecord> toRecords() {
        return results.stream()
                .map(r -> ResultRecord.of(runId, r.pointId(), r.conc(), jobKey, r.state(), r.reason(),
                        ResultJson.write(r.metrics()), ResultJson.write(r.eval()), r.resultFile()))
                .toList();
    }
}
