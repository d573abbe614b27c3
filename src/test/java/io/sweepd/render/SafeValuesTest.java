package io.sweepd.render;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"deepseek-ai/DeepSeek-V4-Pro", "vllm/vllm-openai:deepseekv4-cu129",
            "nvcr.io#nvidia/ai-dynamo/vllm-runtime:0.8.0", "lmsysorg/sglang:v0.5.8-cu130", "/shared/models/dsr1",
            "dsv4-fp8-h100-dynamo-vllm", "dynamo-vllm", "fp8"})
    void acceptsWhatRealSweepsUse(String value) {
        assertThat(SafeValues.token("model", value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$(touch /tmp/pwned)", "`id`", "a;b", "a b", "it's", "a\"b", "a\nb", "a|b", "a&b",
            "a*", "a%j", "", "--output=/etc/passwd"})
    void refusesShellSyntaxWhitespaceAndOptions(String value) {
        assertThatThrownBy(() -> SafeValues.token("model", value)).isInstanceOf(UnsafeValueException.class)
                .hasMessageStartingWith("model ");
    }

    @Test
    void jobKeysAndRunIdsAreDirectoryAndJobNames() {
        assertThat(SafeValues.name("job key", "dsv4_8k1k-6a159fedd8")).isEqualTo("dsv4_8k1k-6a159fedd8");
        assertThatThrownBy(() -> SafeValues.name("job key", "../etc")).hasMessageContaining("job key '../etc'");
        assertThatThrownBy(() -> SafeValues.name("run id", "a/b")).isInstanceOf(UnsafeValueException.class);
        assertThatThrownBy(() -> SafeValues.name("run id", ".hidden")).isInstanceOf(UnsafeValueException.class);
    }

    @Test
    void directivePathsRefuseWhatSbatchWouldSplitOrExpand() {
        assertThat(SafeValues.directivePath("dir", "/srv/outputs/run-1/key/logs")).isNotNull();
        assertThatThrownBy(() -> SafeValues.directivePath("dir", "/srv/my outputs")).isInstanceOf(UnsafeValueException.class);
        assertThatThrownBy(() -> SafeValues.directivePath("dir", "/srv/100%")).isInstanceOf(UnsafeValueException.class);
        assertThatThrownBy(() -> SafeValues.directivePath("dir", "relative/dir")).isInstanceOf(UnsafeValueException.class);
    }

    @Test
    void environmentNamesArePosixNames() {
        assertThat(SafeValues.envName("env", "NCCL_CUMEM_ENABLE")).isEqualTo("NCCL_CUMEM_ENABLE");
        assertThatThrownBy(() -> SafeValues.envName("env", "A-B")).isInstanceOf(UnsafeValueException.class);
        assertThatThrownBy(() -> SafeValues.envName("env", "X=$(id)")).isInstanceOf(UnsafeValueException.class);
    }
}
