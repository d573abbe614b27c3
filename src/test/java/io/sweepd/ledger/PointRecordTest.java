package io.sweepd.ledger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PointRecordTest {

    @Test
    void anEntryCountsItsDistinctTopLevelConcurrenciesAndAnythingElseAsOne() {
        assertThat(entry("{\"x\":{\"conc\":[1,2,3]},\"conc\":[4,4,8],\"tp\":8}").concurrencies())
                .as("a multinode entry's list, repeats once; a nested conc is not the entry's").isEqualTo(2);
        assertThat(entry("{\"model\":\"m\",\"conc\":16}").concurrencies()).isEqualTo(1);
        assertThat(entry("{\"conc\":[]}").concurrencies()).as("no concurrency stands for one").isEqualTo(1);
        assertThat(entry("{}").concurrencies()).isEqualTo(1);
        assertThat(entry("{\"conc\":[4,").concurrencies()).as("unreadable").isEqualTo(1);
    }

    private static PointRecord entry(String matrixJson) {
        return PointRecord.of("r1", "p1", "j1", matrixJson, null);
    }
}
