package io.sweepd.notify;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifySettingsTest {

    private static NotifySettings parse(String command, String url, String headers, String on) {
        return NotifySettings.parse(command, url, headers, on, 5000, Map.of("HOOK_TOKEN", "s3cr3t,with=comma"));
    }

    @Test
    void nothingConfiguredWantsNoEventAtAll() {
        NotifySettings none = parse("", "", "", "run-ended,job-failed");

        assertThat(none.wants(NotifyEvent.RUN_ENDED)).isFalse();
        assertThat(none.wants(NotifyEvent.JOB_FAILED)).isFalse();
        assertThat(NotifySettings.none().wants(NotifyEvent.RUN_ENDED)).isFalse();
    }

    @Test
    void aTargetWantsTheEventsListedInOn() {
        NotifySettings runsOnly = parse("notify", "", "", " run-ended ");

        assertThat(runsOnly.wants(NotifyEvent.RUN_ENDED)).isTrue();
        assertThat(runsOnly.wants(NotifyEvent.JOB_FAILED)).isFalse();
        assertThat(parse("", "https://chat.example/hooks/abc", "", "job-failed,run-ended")
                .wants(NotifyEvent.JOB_FAILED)).isTrue();
        assertThatThrownBy(() -> parse("notify", "", "", "run-end")).hasMessageContaining("run-end")
                .hasMessageContaining("run-ended");
    }

    @Test
    void aHeaderValueTakesItsSecretFromTheEnvironmentAndNeverShowsIt() {
        NotifySettings settings = parse("", "https://chat.example/hooks/T0/B0/xyz?token=abc",
                "Authorization=Bearer ${env:HOOK_TOKEN}, X-Sweepd=1", "run-ended");

        assertThat(settings.headers()).containsExactly(Map.entry("Authorization", "Bearer s3cr3t,with=comma"),
                Map.entry("X-Sweepd", "1"));
        assertThat(settings.toString()).doesNotContain("s3cr3t").doesNotContain("xyz").doesNotContain("abc")
                .contains("Authorization");
        assertThat(settings.urlForLogs()).isEqualTo("https://chat.example/...");
    }

    @Test
    void aMissingVariableOrAMalformedSettingStopsTheStartWithoutShowingAValue() {
        assertThatThrownBy(() -> parse("", "https://x.example/", "Authorization=Bearer ${env:NOT_SET}", "run-ended"))
                .hasMessageContaining("NOT_SET");
        assertThatThrownBy(() -> parse("", "https://x.example/", "Bearer s3cr3t", "run-ended"))
                .hasMessageContaining("Name=value").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> parse("", "ftp://x.example/", "", "run-ended")).hasMessageContaining("http");
        assertThatThrownBy(() -> parse("'unbalanced", "", "", "run-ended")).hasMessageContaining("unbalanced");
    }
}
