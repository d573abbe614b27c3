package io.sweepd.app;

import io.sweepd.InMemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SweepdBeansTest {

    @TempDir
    Path home;

    private String pollPeriod(Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("sweepd.home", home.toString());
        overrides.put("sweepd.ledger.jdbc-url", InMemoryLedger.url());
        overrides.put("sweepd.ledger.user", "sa");
        try (SweepdBeans beans = new SweepdBeans(SweepdSettings.load(null, Map.of(), overrides))) {
            return beans.placeholders().getProperty("sweepd.poll.interval-ms");
        }
    }

    @Test
    void thePollTimerRunsAtTheShortestPollIntervalOfTheLoadedProfilesByDefault() {
        // The shipped local profiles poll every 2 s, the production ones every 30 s.
        assertThat(pollPeriod(Map.of())).isEqualTo("2000");
    }

    @Test
    void thePollIntervalSettingWins() {
        assertThat(pollPeriod(Map.of("sweepd.poll.interval-ms", "15000"))).isEqualTo("15000");
    }
}
